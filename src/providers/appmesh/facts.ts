/** App Mesh's facts: its end of life, the Envoy image, ports and uid, and the names of its resources. */
import type { EnvironmentNames, ServiceNames } from "../../config/names";

/** AWS: "On September 30, 2026, AWS will discontinue support for AWS App Mesh" (its console and resources). */
export const APPMESH_END_OF_LIFE = "2026-09-30";

export const ENVOY_VERSION = "v1.27.2.0-prod";

/**
 * AWS publishes the App Mesh Envoy image in each commercial region's registry of account 840364872350
 * (opt-in regions use other accounts: name the image in `mesh.envoy.image` there).
 */
export const defaultEnvoyImage = (region: string) => `840364872350.dkr.ecr.${region}.amazonaws.com/aws-appmesh-envoy:${ENVOY_VERSION}`;

/** Ports the Envoy sidecar owns inside every task (admin, ingress, egress). */
export const ENVOY_PORTS = { admin: 9901, ingress: 15000, egress: 15001 } as const;
export const RESERVED_PORTS: readonly number[] = Object.values(ENVOY_PORTS);

/**
 * The address a virtual service's name resolves to when no task registers under it: any non-loopback address
 * does, since Envoy routes the call by name (App Mesh user guide, troubleshooting: "Unable to resolve DNS name for
 * a virtual service").
 */
export const VIRTUAL_SERVICE_PLACEHOLDER_IP = "10.10.10.10";

/** UID the Envoy proxy runs as; traffic from this UID bypasses the proxy's iptables redirect. */
export const ENVOY_UID = 1337;

/** The App Mesh resources of one service, named from its neutral names. */
export function appMeshNames(names: ServiceNames) {
  const base = names.ecsService;
  return {
    virtualNode: `${base}-node`,
    virtualRouter: `${base}-router`,
    route: `${base}-route`,
    /** The ingress's virtual gateway, and the ECS service and task family of its Envoy. */
    gateway: `${base}-gateway`,
    gatewayExecutionRole: `${base}-gw-exec`,
    gatewayTaskRole: `${base}-gw-task`,
  };
}

/** The virtual node of one version (a service without versions keeps the service's). */
export const versionNodeName = (names: ServiceNames, version: string | undefined) =>
  version === undefined ? appMeshNames(names).virtualNode : `${names.ecsService}-${version}-node`;

/** An App Mesh route's name: the shorthand `route` keeps `<prefix>-<svc>-route`. */
export const routeName = (names: ServiceNames, route: string | undefined) =>
  route === undefined ? appMeshNames(names).route : `${names.ecsService}-${route}`;

/** The external service's virtual node. */
export const externalNodeName = (env: EnvironmentNames, external: string) => `${env.prefix}-external-${external}`;
