/**
 * The resolved environment: defaults applied, names derived, sizes split; what the stacks consume. It says
 * what a service is (ports, sizes, backends, timeouts, retry intent); what App Mesh or Service Connect make
 * of it is decided behind the provider seam (src/providers).
 */
import { nodeHealthCheckCommand } from "./health-check-command";
import { type EnvironmentNames, environmentNames, type ServiceNames, serviceNames } from "./names";
import type { DEPLOYMENT_STRATEGIES, EnvironmentConfig, ServiceConfig } from "./schema";

export interface Size {
  cpu: number;
  memory: number;
}

export interface RetryPolicy {
  maxRetries: number;
  perRetryTimeoutMs: number;
  httpRetryEvents: string[];
  tcpRetryEvents: string[];
  /** Full-jitter backoff between tries when the caller retries (Service Connect); Envoy has its own. */
  backoff: { baseMs: number; capMs: number };
}

export interface ResolvedBackend {
  service: string;
  /** The DNS name callers use, `<svc>.<env>.<internalDomain>`, under either provider. */
  dnsName: string;
  port: number;
  /** Base URL the app reaches the backend at. */
  url: string;
  /** The backend's route: how long a call may take, retries included, and how it is retried. */
  timeoutMs: number;
  retryPolicy?: RetryPolicy;
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
  /** What is left for the app container once the provider's and the tracing sidecars have theirs. */
  app: Size;
  desiredCount: number;
  listenerTimeoutMs: number;
  backends: ResolvedBackend[];
  route: { prefix: string; priority: number; timeoutMs: number; retryPolicy?: RetryPolicy };
  imageTag: string;
  environment: Record<string, string>;
  logRetentionDays: number;
  deployment: Deployment;
  /** A Network Load Balancer in front of the service, for callers outside the services' security group. */
  ingress?: Ingress;
  deadLetterQueue: boolean;
}

export type DeploymentStrategy = (typeof DEPLOYMENT_STRATEGIES)[number];

export interface Deployment {
  strategy: DeploymentStrategy;
  /** blue-green, linear, canary: minutes both revisions run once all traffic has moved. */
  bakeTimeMinutes: number;
  canary?: { percent: number; bakeTimeMinutes: number };
  linear?: { stepPercent: number; stepBakeTimeMinutes: number };
  rollbackAlarms: string[];
  /** Service Connect: the header that sends a request to the new revision during a deployment. */
  testTraffic?: { header: string; exact: string };
  minimumHealthyPercent: number;
  maximumPercent: number;
  waitForSteadyState: boolean;
}

export interface Ingress {
  port: number;
  scheme: "internal" | "internet-facing";
  certificateArn?: string;
  allowedCidrs: string[];
}

export type SidecarImage = Size & { image: string };

export type ResolvedMesh =
  | { provider: "appmesh"; egress: "DROP_ALL" | "ALLOW_ALL"; envoy: SidecarImage; xray: SidecarImage }
  | { provider: "service-connect"; proxy: Size; xray: SidecarImage };

export interface ResolvedEnvironment {
  name: string;
  project: string;
  region: string;
  names: EnvironmentNames;
  network: { vpcId: string; subnetIds: string[] };
  state?: { bucket: string; key: string; region: string };
  mesh: ResolvedMesh;
  cluster: { containerInsights: "enabled" | "enhanced" | "disabled"; fargateSpotWeight: number };
  tags: Record<string, string>;
  alarmTopicArn?: string;
  services: ResolvedService[];
}

export const ENVOY_VERSION = "v1.27.2.0-prod";

/**
 * AWS publishes the App Mesh Envoy image in each commercial region's registry of account 840364872350
 * (opt-in regions use other accounts: name the image in `mesh.envoy.image` there).
 */
export const defaultEnvoyImage = (region: string) =>
  `840364872350.dkr.ecr.${region}.amazonaws.com/aws-appmesh-envoy:${ENVOY_VERSION}`;

/** One share of a task that is not the app's: a sidecar, or the proxy ECS injects. */
export interface Reservation extends Size {
  /** As a user reads it: "the Envoy proxy", "the X-Ray daemon". */
  what: string;
}

type MeshInput = Partial<Pick<EnvironmentConfig["mesh"], "provider">> & {
  envoy?: Partial<Size>;
  proxy?: Partial<Size>;
  xray?: Partial<Size>;
};

/**
 * The shares of every task taken before the app's, per provider: Envoy and the X-Ray daemon under App Mesh;
 * the proxy ECS injects and the X-Ray daemon under Service Connect. Undefined while a size is unknown.
 */
export function reservations(mesh: MeshInput | undefined): Reservation[] | undefined {
  const provider = mesh?.provider;
  const own = provider === "appmesh" ? { what: "the Envoy proxy", ...mesh?.envoy } : provider === "service-connect" ? { what: "the Service Connect proxy", ...mesh?.proxy } : undefined;
  const xray = { what: "the X-Ray daemon", ...mesh?.xray };
  if (!own) return undefined;
  const shares = [own, xray];
  return shares.every((s) => s.cpu !== undefined && s.memory !== undefined) ? (shares as Reservation[]) : undefined;
}

const total = (shares: readonly Size[]): Size => ({
  cpu: shares.reduce((n, s) => n + s.cpu, 0),
  memory: shares.reduce((n, s) => n + s.memory, 0),
});

function retryPolicy(route: ServiceConfig["route"]): RetryPolicy | undefined {
  const p = route.retryPolicy;
  if (!p) return undefined;
  return {
    maxRetries: p.maxRetries,
    perRetryTimeoutMs: p.perRetryTimeout,
    httpRetryEvents: p.httpRetryEvents,
    tcpRetryEvents: p.tcpRetryEvents,
    backoff: { baseMs: p.backoff.base, capMs: p.backoff.cap },
  };
}

const MINUTE_MS = 60_000;

function deployment(d: ServiceConfig["deployment"]): Deployment {
  const strategy = d.strategy;
  return {
    strategy,
    bakeTimeMinutes: d.bakeTime / MINUTE_MS,
    ...(strategy === "canary" && { canary: { percent: d.canary.percent, bakeTimeMinutes: d.canary.bakeTime / MINUTE_MS } }),
    ...(strategy === "linear" && { linear: { stepPercent: d.linear.stepPercent, stepBakeTimeMinutes: d.linear.stepBakeTime / MINUTE_MS } }),
    rollbackAlarms: d.rollbackAlarms,
    ...(d.testTraffic && { testTraffic: d.testTraffic }),
    minimumHealthyPercent: d.minimumHealthyPercent,
    maximumPercent: d.maximumPercent,
    waitForSteadyState: d.waitForSteadyState,
  };
}

function ingress(i: NonNullable<ServiceConfig["ingress"]>): Ingress {
  return { port: i.port, scheme: i.scheme, ...(i.certificate && { certificateArn: i.certificate }), allowedCidrs: i.allowedCidrs };
}

function resolveMesh(config: EnvironmentConfig): ResolvedMesh {
  const { mesh, region } = config;
  if (mesh.provider === "service-connect") return { provider: "service-connect", proxy: mesh.proxy, xray: mesh.xray };
  return { provider: "appmesh", egress: mesh.egress, envoy: { ...mesh.envoy, image: mesh.envoy.image ?? defaultEnvoyImage(region) }, xray: mesh.xray };
}

export function resolveEnvironment(config: EnvironmentConfig): ResolvedEnvironment {
  const names = environmentNames(config.environment, config.project, config.internalDomain);
  const taken = total(reservations(config.mesh)!);
  const backend = (service: string): ResolvedBackend => {
    const target = config.services[service]!;
    const dnsName = serviceNames(names, service).virtualService;
    const policy = retryPolicy(target.route);
    return {
      service,
      dnsName,
      port: target.port,
      url: `http://${dnsName}:${target.port}`,
      timeoutMs: target.route.timeout,
      ...(policy && { retryPolicy: policy }),
    };
  };
  const service = ([name, s]: [string, ServiceConfig]): ResolvedService => {
    const policy = retryPolicy(s.route);
    return {
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
      app: { cpu: s.cpu - taken.cpu, memory: s.memory - taken.memory },
      desiredCount: s.desiredCount,
      listenerTimeoutMs: s.timeout,
      backends: s.backends.map(backend),
      route: { prefix: s.route.prefix, priority: s.route.priority, timeoutMs: s.route.timeout, ...(policy && { retryPolicy: policy }) },
      imageTag: s.imageTag,
      environment: s.environment,
      logRetentionDays: s.logRetentionDays ?? config.logRetentionDays,
      deployment: deployment(s.deployment),
      ...(s.ingress && { ingress: ingress(s.ingress) }),
      deadLetterQueue: s.deadLetterQueue,
    };
  };
  return {
    name: config.environment,
    project: config.project,
    region: config.region,
    names,
    network: config.network,
    ...(config.state && { state: config.state }),
    mesh: resolveMesh(config),
    cluster: config.cluster,
    tags: { Environment: config.environment, Project: config.project, ManagedBy: "meshform", ...config.tags },
    ...(config.alarmTopicArn && { alarmTopicArn: config.alarmTopicArn }),
    services: Object.entries(config.services).map(service),
  };
}
