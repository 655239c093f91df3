/**
 * The three containers of a mesh task (app, Envoy, X-Ray daemon) as ECS container definitions.
 * A pure function of its inputs, so it can be tested and read without synthesizing a stack.
 */
import { APP_VARIABLES } from "../config/app-environment";
import { ENVOY_PORTS, ENVOY_UID } from "../config/limits";
import type { ResolvedService, Size } from "../config/model";

export const CONTAINER = { app: "app", envoy: "envoy", xray: "xray-daemon" } as const;
export const XRAY_DAEMON_PORT = 2000;
/** UID the app container runs as: the `node` user of the service images. */
export const APP_UID = "1000";
export const TMP_VOLUME = "tmp";

export interface ContainerInputs {
  service: ResolvedService;
  region: string;
  /** The Cloud Map namespace, given to the app as MESH_NAMESPACE. */
  namespace: string;
  appImage: string;
  envoy: Size & { image: string };
  xray: Size & { image: string };
  logGroupName: string;
  virtualNodeArn: string;
}

type KeyValue = { name: string; value: string };

const env = (vars: Record<string, string>): KeyValue[] =>
  Object.keys(vars)
    .sort()
    .map((name) => ({ name, value: vars[name]! }));

/** The Envoy readiness check of the App Mesh documentation: its admin API reports LIVE. */
export const ENVOY_HEALTH_CHECK = [
  "CMD-SHELL",
  `curl -s http://localhost:${ENVOY_PORTS.admin}/server_info | grep state | grep -q LIVE`,
];

export function containerDefinitions(input: ContainerInputs): object[] {
  const { service } = input;
  const logs = (prefix: string) => ({
    logDriver: "awslogs",
    options: { "awslogs-group": input.logGroupName, "awslogs-region": input.region, "awslogs-stream-prefix": prefix },
  });
  const tmp = [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }];
  const app = {
    name: CONTAINER.app,
    image: input.appImage,
    essential: true,
    cpu: service.app.cpu,
    memoryReservation: service.app.memory,
    user: APP_UID,
    readonlyRootFilesystem: true,
    mountPoints: tmp,
    portMappings: [{ containerPort: service.port, protocol: "tcp" }],
    environment: env({
      ...service.environment,
      ...Object.fromEntries(service.backends.map((b) => [b.envVar, b.url])),
      [APP_VARIABLES.port]: String(service.port),
      [APP_VARIABLES.namespace]: input.namespace,
      [APP_VARIABLES.xray]: `127.0.0.1:${XRAY_DAEMON_PORT}`,
    }),
    healthCheck: { command: service.healthCheckCommand, interval: 10, timeout: 5, retries: 3, startPeriod: 10 },
    dependsOn: [{ containerName: CONTAINER.envoy, condition: "HEALTHY" }],
    logConfiguration: logs(CONTAINER.app),
  };
  const envoy = {
    name: CONTAINER.envoy,
    image: input.envoy.image,
    essential: true,
    cpu: input.envoy.cpu,
    memoryReservation: input.envoy.memory,
    user: String(ENVOY_UID),
    // The App Mesh Envoy image writes its bootstrap config at start-up and fails on a read-only root
    // filesystem, even with a writable /tmp (aws/aws-app-mesh-roadmap#265, #433): stated, not defaulted.
    readonlyRootFilesystem: false,
    environment: env({ APPMESH_RESOURCE_ARN: input.virtualNodeArn, ENABLE_ENVOY_XRAY_TRACING: "1" }),
    healthCheck: { command: ENVOY_HEALTH_CHECK, interval: 5, timeout: 2, retries: 3, startPeriod: 10 },
    ulimits: [{ name: "nofile", softLimit: 15000, hardLimit: 15000 }],
    logConfiguration: logs(CONTAINER.envoy),
  };
  const xray = {
    name: CONTAINER.xray,
    image: input.xray.image,
    essential: false,
    cpu: input.xray.cpu,
    memoryReservation: input.xray.memory,
    // Envoy's UID: the proxy's iptables rules let this traffic (to the X-Ray API) bypass Envoy.
    user: String(ENVOY_UID),
    readonlyRootFilesystem: true,
    mountPoints: tmp,
    portMappings: [{ containerPort: XRAY_DAEMON_PORT, protocol: "udp" }],
    logConfiguration: logs(CONTAINER.xray),
  };
  return [app, envoy, xray];
}

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
