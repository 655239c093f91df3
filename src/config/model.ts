/**
 * The resolved environment: defaults applied, names derived, sizes split; what the stacks consume. It says
 * what a service is (ports, sizes, backends, timeouts, retry intent); what a mesh provider makes
 * of it is decided behind the provider seam (src/providers).
 */

import type { MeshProvider, ProviderId } from "../providers/provider";
import { nodeHealthCheckCommand } from "./health-check-command";
import { type PROTOCOLS, TRACING_DEFAULTS } from "./limits";
import { type EnvironmentNames, environmentNames, type ServiceNames, serviceNames } from "./names";
import { type ResolvedAlarms, type ResolvedScaling, resolveAlarms, resolveScaling } from "./operate-model";
import type { ValidParts } from "./parts";
import { type Runtime, resolveRuntime, sidecarsSize } from "./runtime-model";
import type { EnvironmentConfig, ServiceConfig } from "./schema";
import {
  type CertificateSource,
  type Deployment,
  deployment,
  governingRoute,
  type Ingress,
  ingress,
  type ResolvedRoute,
  type ResolvedVersion,
  resolveRoutes,
  resolveVersions,
  type Tls,
  type TrustSource,
  tls,
  trustSource,
} from "./traffic-model";
import { type WebIngress, webIngress } from "./web-ingress-model";

export {
  AWAITING_IMAGE_TAG,
  asVersion,
  type CertificateSource,
  type Deployment,
  type DeploymentStrategy,
  type HeaderMatch,
  type Ingress,
  type ResolvedRoute,
  type ResolvedVersion,
  type RouteMatch,
  type Tls,
  type TrustSource,
} from "./traffic-model";

export interface Size {
  cpu: number;
  memory: number;
}

export interface RetryPolicy {
  maxRetries: number;
  perRetryTimeoutMs: number;
  httpRetryEvents: string[];
  tcpRetryEvents: string[];
  /** protocol grpc: the gRPC statuses retried (App Mesh's gRPC routes). */
  grpcRetryEvents?: string[];
  /** Full-jitter backoff between tries when the caller retries (Service Connect); Envoy has its own. */
  backoff: { baseMs: number; capMs: number };
}

export interface ResolvedBackend {
  service: string;
  /** The DNS name callers use, `<svc>.<env>.<internalDomain>`, under either provider. */
  dnsName: string;
  port: number;
  /** What the backend speaks. */
  protocol: Protocol;
  /** Base URL the app reaches the backend at (tcp://host:port for a TCP backend). */
  url: string;
  /** The backend's route: how long a call may take, retries included, and how it is retried. */
  timeoutMs: number;
  retryPolicy?: RetryPolicy;
  /** The backend's TLS: its caller verifies the certificate against `trust`, and presents its own when `mutual`. */
  tls?: { port: number; trust: TrustSource; mutual: boolean };
  /**
   * Request headers the backend's traffic depends on, lower-case, sorted: its test-traffic rule's and its routes'
   * header matches. A caller passes them on from the request it serves, or they never reach the backend.
   */
  forwardHeaders: string[];
}

/** A service outside the mesh that services call. */
export interface ExternalService {
  name: string;
  host: string;
  port: number;
  /** What callers are given: https on 443, else http. */
  url: string;
}

export interface ResolvedService {
  name: string;
  names: ServiceNames;
  port: number;
  protocol: Protocol;
  healthCheckPath: string;
  healthCheck: { intervalMs: number; timeoutMs: number; healthyThreshold: number; unhealthyThreshold: number; startPeriodMs: number };
  /** The container health check; undefined: none (an image meshform knows nothing of). */
  healthCheckCommand?: string[];
  /** How its container runs: image, user, filesystem, secrets, permissions, sidecars, logs. */
  runtime: Runtime;
  /** Task size (Fargate). */
  task: Size;
  /** What is left for the app container once the provider's and the tracing sidecars have theirs. */
  app: Size;
  desiredCount: number;
  /** Time limit of a request to this service (its `timeout`): bounds all it does for that request. */
  requestTimeoutMs: number;
  backends: ResolvedBackend[];
  /** The external services it calls. */
  externalBackends: ExternalService[];
  /**
   * The route a caller's deadline and the timeout checks follow: the shorthand `route`, or of several
   * `routes` the one that allows longest.
   */
  route: { prefix: string; priority: number; timeoutMs: number; retryPolicy?: RetryPolicy };
  /** Every route (App Mesh): the shorthand `route` is one route to the one version. */
  routes: ResolvedRoute[];
  /** The versions running side by side (App Mesh); without `versions`, one unnamed version. */
  versions: ResolvedVersion[];
  /** Undefined while its image is not pushed yet (see awaitingImage), or where it names an image of its own. */
  imageTag?: string;
  /** Its image is not pushed yet: it runs no tasks until imageTag is set (every version awaits, for a service with versions). */
  awaitingImage: boolean;
  environment: Record<string, string>;
  logRetentionDays: number;
  deployment: Deployment;
  /** A Network Load Balancer in front of the service, for callers outside the services' security group. */
  ingress?: Ingress;
  /** App Mesh: callers' Envoys eject tasks that keep failing. */
  outlierDetection?: { maxServerErrors: number; intervalMs: number; baseEjectionMs: number; maxEjectionPercent: number };
  /** App Mesh: how much each caller's Envoy sends at once. */
  connectionPool?: { maxConnections?: number; maxPendingRequests?: number; maxRequests?: number };
  /** TLS on the service's listener, verified by its callers. */
  tls?: Tls;
  /** App Mesh: the certificate this service presents to backends that require mutual TLS. */
  clientCertificate?: Exclude<CertificateSource, { acm: string }>;
  deadLetterQueue: boolean;
  /** Application Auto Scaling of its tasks (operate-model.ts); undefined: a fixed desiredCount. */
  scaling?: ResolvedScaling;
  /** meshform's alarms and their thresholds (operate-model.ts). */
  alarms: ResolvedAlarms;
}

export type Protocol = (typeof PROTOCOLS)[number];

/**
 * The container health check: as written; none when written so; by default meshform's own images' node one-liner
 * (they have node and no curl), and none for an image meshform knows nothing of.
 */
function healthCheckCommand(s: ServiceConfig): { healthCheckCommand?: string[] } {
  if (s.healthCheckCommand === "none") return {};
  if (s.healthCheckCommand) return { healthCheckCommand: s.healthCheckCommand };
  return s.image === undefined ? { healthCheckCommand: nodeHealthCheckCommand(s.port, s.healthCheckPath) } : {};
}

/** What of a service's task is not its app's: the sidecars' and the provider's proxy's share. */
export const sidecarShare = (s: Pick<ResolvedService, "task" | "app">): Size => ({
  cpu: s.task.cpu - s.app.cpu,
  memory: s.task.memory - s.app.memory,
});

export type SidecarImage = Size & { image: string };

/** The collector beside every app that sends traces to X-Ray (none: no tracing sidecar, no tracing variables). */
export type Tracing = { collector: "none" } | ({ collector: "adot" | "xray-daemon" } & SidecarImage);

export interface ResolvedMesh {
  provider: ProviderId;
  /** The provider's own settings (App Mesh: egress filter, Envoy; Service Connect: the proxy's share), read only by the provider. */
  options: unknown;
  /** The provider the environment's stack was applied with before (mesh.movedFrom), with its settings. */
  movedFrom?: { provider: ProviderId; options: unknown };
}

export interface ResolvedEnvironment {
  name: string;
  project: string;
  region: string;
  names: EnvironmentNames;
  network: { vpcId: string; subnetIds: string[]; publicSubnetIds?: string[] };
  state?: { bucket: string; key: string; region: string };
  mesh: ResolvedMesh;
  cluster: { containerInsights: "enabled" | "enhanced" | "disabled"; fargateSpotWeight: number };
  tags: Record<string, string>;
  tracing: Tracing;
  alarmTopicArn?: string;
  /** A CloudWatch dashboard of the environment. */
  dashboard: boolean;
  externalServices: ExternalService[];
  services: ResolvedService[];
  /** The environment's Application Load Balancer (top-level `ingress`). */
  webIngress?: WebIngress;
}

/** One share of a task that is not the app's: a sidecar, or the proxy ECS injects. */
export interface Reservation extends Size {
  /** As a user reads it: "the Envoy proxy", "the X-Ray daemon". */
  what: string;
}

/** The tracing collector, as far as the file says and with its defaults; undefined while it is not known. */
export function tracing(written: Partial<EnvironmentConfig["tracing"]> | undefined): Tracing | undefined {
  const collector = written?.collector ?? "adot";
  if (collector === "none") return { collector };
  const dflt = TRACING_DEFAULTS[collector];
  return { collector, image: written?.image ?? dflt.image, cpu: written?.cpu ?? dflt.cpu, memory: written?.memory ?? dflt.memory };
}

const TRACING_NAMES = { adot: "the tracing collector (ADOT)", "xray-daemon": "the X-Ray daemon" } as const;

/**
 * The shares of every task taken before the app's: the provider's (Envoy, Service Connect's proxy) and the
 * tracing collector's. Undefined while a size is unknown.
 */
export function reservations(parts: Pick<ValidParts, "mesh" | "tracing">, provider: MeshProvider): Reservation[] | undefined {
  const own = provider.reservation(parts.mesh);
  const collector = tracing(parts.tracing);
  if (!own || !collector) return undefined;
  // A provider outside the task (VPC Lattice) takes no share of it.
  const mesh = own.cpu === 0 && own.memory === 0 ? [] : [own];
  return collector.collector === "none"
    ? mesh
    : [...mesh, { what: TRACING_NAMES[collector.collector], cpu: collector.cpu, memory: collector.memory }];
}

const total = (shares: readonly Size[]): Size => ({
  cpu: shares.reduce((n, s) => n + s.cpu, 0),
  memory: shares.reduce((n, s) => n + s.memory, 0),
});

/** How a service is operated: its scaling and meshform's alarms. */
function operate(s: ServiceConfig): Pick<ResolvedService, "scaling" | "alarms"> {
  const scaling = resolveScaling(s);
  return { ...(scaling && { scaling }), alarms: resolveAlarms(s) };
}

export function resolveEnvironment(config: EnvironmentConfig, provider: MeshProvider, previous?: MeshProvider): ResolvedEnvironment {
  const names = environmentNames(config.environment, config.project, config.internalDomain);
  const taken = total(reservations(config, provider)!);
  const externals = new Map(
    Object.entries(config.externalServices).map(([name, e]) => [
      name,
      { name, host: e.host, port: e.port, url: `${e.port === 443 ? "https" : "http"}://${e.host}:${e.port}` },
    ]),
  );
  const routesOf = new Map(Object.entries(config.services).map(([name, s]) => [name, resolveRoutes(s)]));
  const backend = (service: string): ResolvedBackend => {
    const target = config.services[service]!;
    const dnsName = serviceNames(names, service).dnsName;
    const route = governingRoute(routesOf.get(service)!);
    const matched = [
      ...(target.deployment.testTraffic ? [target.deployment.testTraffic.header] : []),
      ...routesOf.get(service)!.flatMap((r) => r.match.headers.map((h) => h.name)),
    ];
    return {
      service,
      dnsName,
      forwardHeaders: [...new Set(matched.map((h) => h.toLowerCase()))].sort(),
      port: target.port,
      protocol: target.protocol,
      url: `${target.protocol === "tcp" ? "tcp" : "http"}://${dnsName}:${target.port}`,
      timeoutMs: route.timeoutMs,
      ...(route.retryPolicy && { retryPolicy: route.retryPolicy }),
      ...(target.tls && {
        tls: { port: target.port, trust: trustSource(target.tls.certificateAuthority), mutual: target.tls.clientValidation !== undefined },
      }),
    };
  };
  const service = ([name, s]: [string, ServiceConfig]): ResolvedService => {
    const own = serviceNames(names, name);
    const routes = routesOf.get(name)!;
    const versions = resolveVersions(s, own, config.imageTag);
    const imageTag = s.imageTag ?? config.imageTag;
    const awaitingImage = versions.every((v) => v.awaitingImage);
    return {
      name,
      names: own,
      port: s.port,
      protocol: s.protocol,
      healthCheckPath: s.healthCheckPath,
      healthCheck: {
        intervalMs: s.healthCheck.interval,
        timeoutMs: s.healthCheck.timeout,
        healthyThreshold: s.healthCheck.healthyThreshold,
        unhealthyThreshold: s.healthCheck.unhealthyThreshold,
        startPeriodMs: s.healthCheck.startPeriod,
      },
      ...healthCheckCommand(s),
      runtime: resolveRuntime(s),
      task: { cpu: s.cpu, memory: s.memory },
      app: { cpu: s.cpu - taken.cpu - sidecarsSize(s).cpu, memory: s.memory - taken.memory - sidecarsSize(s).memory },
      desiredCount: awaitingImage ? 0 : s.desiredCount,
      requestTimeoutMs: s.timeout,
      backends: s.backends.map(backend),
      externalBackends: s.externalBackends.map((e) => externals.get(e)!),
      route: governingRoute(routes),
      routes,
      versions,
      ...(imageTag !== undefined && { imageTag }),
      awaitingImage,
      environment: s.environment,
      logRetentionDays: s.logRetentionDays ?? config.logRetentionDays,
      deployment: deployment(s.deployment),
      ...(s.ingress && { ingress: ingress(s.ingress) }),
      ...(s.outlierDetection && {
        outlierDetection: {
          maxServerErrors: s.outlierDetection.maxServerErrors,
          intervalMs: s.outlierDetection.interval,
          baseEjectionMs: s.outlierDetection.baseEjectionDuration,
          maxEjectionPercent: s.outlierDetection.maxEjectionPercent,
        },
      }),
      ...(s.connectionPool && { connectionPool: s.connectionPool }),
      ...(s.tls && { tls: tls(s.tls) }),
      ...(s.clientCertificate && { clientCertificate: s.clientCertificate }),
      deadLetterQueue: s.deadLetterQueue,
      ...operate(s),
    };
  };
  return {
    name: config.environment,
    project: config.project,
    region: config.region,
    names,
    network: config.network,
    ...(config.state && { state: config.state }),
    mesh: {
      provider: provider.id,
      options: provider.options(config),
      ...(previous && { movedFrom: { provider: previous.id, options: previous.options(config) } }),
    },
    tracing: tracing(config.tracing)!,
    cluster: config.cluster,
    tags: { Environment: config.environment, Project: config.project, ManagedBy: "meshform", ...config.tags },
    ...(config.alarmTopicArn && { alarmTopicArn: config.alarmTopicArn }),
    dashboard: config.dashboard,
    externalServices: [...externals.values()],
    services: Object.entries(config.services).map(service),
    ...(config.ingress && { webIngress: webIngress(config)! }),
  };
}
