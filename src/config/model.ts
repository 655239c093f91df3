/** The resolved environment: defaults applied, names derived, sizes split; what the stacks consume. */
import { backendVariables } from "./app-environment";
import { nodeHealthCheckCommand } from "./health-check-command";
import { type EnvironmentNames, environmentNames, type ServiceNames, serviceNames } from "./names";
import type { EnvironmentConfig, ServiceConfig } from "./schema";

export interface Size {
  cpu: number;
  memory: number;
}

export interface RetryPolicy {
  maxRetries: number;
  perRetryTimeoutMs: number;
  httpRetryEvents: string[];
  tcpRetryEvents: string[];
}

export interface ResolvedBackend {
  service: string;
  virtualService: string;
  port: number;
  /** Base URL the app reaches the backend at, through the mesh. */
  url: string;
  /** Environment variable carrying `url` into the app, e.g. DATA_PROCESSING_URL. */
  envVar: string;
}

export interface ResolvedService {
  name: string;
  names: ServiceNames;
  port: number;
  protocol: "http" | "http2";
  healthCheckPath: string;
  healthCheck: { intervalMs: number; timeoutMs: number; healthyThreshold: number; unhealthyThreshold: number };
  healthCheckCommand: string[];
  /** Task size (Fargate). */
  task: Size;
  /** What is left for the app container once the sidecars have theirs. */
  app: Size;
  desiredCount: number;
  listenerTimeoutMs: number;
  backends: ResolvedBackend[];
  route: { prefix: string; priority: number; timeoutMs: number; retryPolicy?: RetryPolicy };
  imageTag: string;
  environment: Record<string, string>;
  logRetentionDays: number;
  deployment: { minimumHealthyPercent: number; maximumPercent: number; waitForSteadyState: boolean };
}

export interface ResolvedEnvironment {
  name: string;
  project: string;
  region: string;
  names: EnvironmentNames;
  network: { vpcId: string; subnetIds: string[] };
  state?: { bucket: string; key: string; region: string };
  mesh: {
    egress: "DROP_ALL" | "ALLOW_ALL";
    envoy: Size & { image: string };
    xray: Size & { image: string };
  };
  cluster: { containerInsights: "enabled" | "enhanced" | "disabled"; fargateSpotWeight: number };
  tags: Record<string, string>;
  services: ResolvedService[];
}

export const ENVOY_VERSION = "v1.27.2.0-prod";

/**
 * AWS publishes the App Mesh Envoy image in each commercial region's registry of account 840364872350
 * (opt-in regions use other accounts: name the image in `mesh.envoy.image` there).
 */
export const defaultEnvoyImage = (region: string) =>
  `840364872350.dkr.ecr.${region}.amazonaws.com/aws-appmesh-envoy:${ENVOY_VERSION}`;

/** Sidecar reservations in a task: Envoy plus the X-Ray daemon. */
export function sidecarSize({ envoy, xray }: EnvironmentConfig["mesh"]): Size {
  return { cpu: envoy.cpu + xray.cpu, memory: envoy.memory + xray.memory };
}

export function resolveEnvironment(config: EnvironmentConfig): ResolvedEnvironment {
  const names = environmentNames(config.environment, config.project, config.internalDomain);
  const sidecars = sidecarSize(config.mesh);
  const backend = (service: string): ResolvedBackend => {
    const virtualService = serviceNames(names, service).virtualService;
    const port = config.services[service]!.port;
    return { service, virtualService, port, url: `http://${virtualService}:${port}`, envVar: backendVariables(service).url };
  };
  const service = ([name, s]: [string, ServiceConfig]): ResolvedService => ({
    name,
    names: serviceNames(names, name),
    port: s.port,
    protocol: s.protocol,
    healthCheckPath: s.healthCheckPath,
    healthCheck: {
      intervalMs: s.healthCheck.interval,
      timeoutMs: s.healthCheck.timeout,
      healthyThreshold: s.healthCheck.healthyThreshold,
      unhealthyThreshold: s.healthCheck.unhealthyThreshold,
    },
    healthCheckCommand: s.healthCheckCommand ?? nodeHealthCheckCommand(s.port, s.healthCheckPath),
    task: { cpu: s.cpu, memory: s.memory },
    app: { cpu: s.cpu - sidecars.cpu, memory: s.memory - sidecars.memory },
    desiredCount: s.desiredCount,
    listenerTimeoutMs: s.timeout,
    backends: s.backends.map(backend),
    route: {
      prefix: s.route.prefix,
      priority: s.route.priority,
      timeoutMs: s.route.timeout,
      ...(s.route.retryPolicy && {
        retryPolicy: {
          maxRetries: s.route.retryPolicy.maxRetries,
          perRetryTimeoutMs: s.route.retryPolicy.perRetryTimeout,
          httpRetryEvents: s.route.retryPolicy.httpRetryEvents,
          tcpRetryEvents: s.route.retryPolicy.tcpRetryEvents,
        },
      }),
    },
    imageTag: s.imageTag,
    environment: s.environment,
    logRetentionDays: s.logRetentionDays ?? config.logRetentionDays,
    deployment: s.deployment,
  });
  return {
    name: config.environment,
    project: config.project,
    region: config.region,
    names,
    network: config.network,
    ...(config.state && { state: config.state }),
    mesh: {
      egress: config.mesh.egress,
      envoy: { ...config.mesh.envoy, image: config.mesh.envoy.image ?? defaultEnvoyImage(config.region) },
      xray: config.mesh.xray,
    },
    cluster: config.cluster,
    tags: { Environment: config.environment, Project: config.project, ManagedBy: "meshform", ...config.tags },
    services: Object.entries(config.services).map(service),
  };
}
