/** The Envoy sidecar of an App Mesh task and the APPMESH proxy configuration, as plain ECS JSON. */

import { awsLogs, CONTAINER, sortedEnvironment } from "../../constructs/container-basics";
import type { ContainerDefinition, ContainerInputs, ProviderContainers } from "../provider";
import { ENVOY_PORTS, ENVOY_UID } from "./facts";
import { optionsOf } from "./options";

/** The Envoy readiness check of the App Mesh documentation: its admin API reports LIVE. */
export const ENVOY_HEALTH_CHECK = ["CMD-SHELL", `curl -s http://localhost:${ENVOY_PORTS.admin}/server_info | grep state | grep -q LIVE`];

/** The APPMESH proxy configuration: Envoy intercepts the app's traffic except the task metadata endpoints. */
export function appMeshProxyProperties(appPort: number): Record<string, string> {
  return {
    AppPorts: String(appPort),
    EgressIgnoredIPs: "169.254.170.2,169.254.169.254",
    EgressIgnoredPorts: "22",
    IgnoredUID: String(ENVOY_UID),
    ProxyEgressPort: String(ENVOY_PORTS.egress),
    ProxyIngressPort: String(ENVOY_PORTS.ingress),
  };
}

export interface EnvoyContainerProps {
  image: string;
  /** Its share of the task, for a sidecar (a gateway's Envoy has the task to itself). */
  size?: { cpu: number; memory: number };
  /** Ports it listens on for the task's own callers (a gateway's listener). */
  ports?: number[];
  /** Its environment: APPMESH_RESOURCE_ARN names the virtual node or gateway it serves. */
  environment: Record<string, string>;
  logConfiguration: ReturnType<typeof awsLogs>;
}

/** The App Mesh Envoy container, beside an app (a virtual node's) or alone (a virtual gateway's). */
export function envoyContainer(props: EnvoyContainerProps): ContainerDefinition {
  return {
    name: CONTAINER.envoy,
    image: props.image,
    essential: true,
    ...(props.size && { cpu: props.size.cpu, memoryReservation: props.size.memory }),
    user: String(ENVOY_UID),
    // The App Mesh Envoy image writes its bootstrap config at start-up and fails on a read-only root
    // filesystem, even with a writable /tmp (aws/aws-app-mesh-roadmap#265, #433): stated, not defaulted.
    readonlyRootFilesystem: false,
    ...(props.ports && { portMappings: props.ports.map((containerPort) => ({ containerPort, protocol: "tcp" })) }),
    environment: sortedEnvironment(props.environment),
    healthCheck: { command: ENVOY_HEALTH_CHECK, interval: 5, timeout: 2, retries: 3, startPeriod: 10 },
    ulimits: [{ name: "nofile", softLimit: 15000, hardLimit: 15000 }],
    logConfiguration: props.logConfiguration,
  };
}

export function appMeshContainers({ env, service, logGroupName, refs }: ContainerInputs): ProviderContainers {
  const { envoy } = optionsOf(env);
  return {
    sidecars: [
      envoyContainer({
        image: envoy.image,
        size: envoy,
        // Envoy sends its spans to the tracing collector beside it (X-Ray's UDP protocol on 127.0.0.1:2000).
        environment: {
          APPMESH_RESOURCE_ARN: refs.virtualNodeArn!,
          ...(env.tracing.collector !== "none" && { ENABLE_ENVOY_XRAY_TRACING: "1" }),
        },
        logConfiguration: awsLogs(logGroupName, env.region, CONTAINER.envoy),
      }),
    ],
    appDependsOn: [{ containerName: CONTAINER.envoy, condition: "HEALTHY" }],
    portMapping: {},
    proxyConfiguration: { type: "APPMESH", containerName: CONTAINER.envoy, properties: appMeshProxyProperties(service.port) },
    // Traffic from Envoy's uid bypasses the proxy's redirection, so the X-Ray daemon reaches X-Ray directly.
    tracingUser: String(ENVOY_UID),
  };
}
