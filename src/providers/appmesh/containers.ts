/** The Envoy sidecar of an App Mesh task and the APPMESH proxy configuration, as plain ECS JSON. */
import { ENVOY_PORTS, ENVOY_UID } from "../../config/limits";
import { awsLogs, CONTAINER, sortedEnvironment } from "../../constructs/container-basics";
import type { ContainerInputs, ProviderContainers } from "../rules";

/** The Envoy readiness check of the App Mesh documentation: its admin API reports LIVE. */
export const ENVOY_HEALTH_CHECK = [
  "CMD-SHELL",
  `curl -s http://localhost:${ENVOY_PORTS.admin}/server_info | grep state | grep -q LIVE`,
];

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

export function appMeshContainers({ env, service, logGroupName, refs }: ContainerInputs): ProviderContainers {
  if (env.mesh.provider !== "appmesh") throw new Error("App Mesh containers for a Service Connect environment");
  const { envoy } = env.mesh;
  return {
    sidecars: [
      {
        name: CONTAINER.envoy,
        image: envoy.image,
        essential: true,
        cpu: envoy.cpu,
        memoryReservation: envoy.memory,
        user: String(ENVOY_UID),
        // The App Mesh Envoy image writes its bootstrap config at start-up and fails on a read-only root
        // filesystem, even with a writable /tmp (aws/aws-app-mesh-roadmap#265, #433): stated, not defaulted.
        readonlyRootFilesystem: false,
        environment: sortedEnvironment({ APPMESH_RESOURCE_ARN: refs.virtualNodeArn!, ENABLE_ENVOY_XRAY_TRACING: "1" }),
        healthCheck: { command: ENVOY_HEALTH_CHECK, interval: 5, timeout: 2, retries: 3, startPeriod: 10 },
        ulimits: [{ name: "nofile", softLimit: 15000, hardLimit: 15000 }],
        logConfiguration: awsLogs(logGroupName, env.region, CONTAINER.envoy),
      },
    ],
    appDependsOn: [{ containerName: CONTAINER.envoy, condition: "HEALTHY" }],
    portMapping: {},
    proxyConfiguration: { type: "APPMESH", containerName: CONTAINER.envoy, properties: appMeshProxyProperties(service.port) },
  };
}
