/**
 * The resolved environment: defaults applied, names derived, sizes split; what the stacks consume. It says
 * what a service is (ports, sizes, backends, timeouts, retry intent); what App Mesh or Service Connect make
 * of it is decided behind the provider seam (src/providers).
 */
import { nodeHealthCheckCommand } from "./health-check-command";
import { type EnvironmentNames, environmentNames, routeName, type ServiceNames, serviceNames, type VersionNames, versionNames } from "./names";
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
  /** The backend's TLS: its caller verifies the certificate against `trust`, and presents its own when `mutual`. */
  tls?: { port: number; trust: TrustSource; mutual: boolean };
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
  imageTag: string;
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
}

export interface ResolvedVersion {
  /** Undefined for the one version of a service that declares none: it keeps the service's names. */
  name?: string;
  names: VersionNames;
  imageTag: string;
  desiredCount: number;
}

/** The service as one of its versions runs it: that version's names, image tag and task count. */
export function asVersion(s: ResolvedService, v: ResolvedVersion): ResolvedService {
  return { ...s, names: { ...s.names, ...v.names }, imageTag: v.imageTag, desiredCount: v.desiredCount };
}

export interface HeaderMatch {
  name: string;
  invert: boolean;
  /** Undefined: the header must be present. */
  match?: { exact: string } | { prefix: string } | { suffix: string } | { regex: string } | { range: { start: number; end: number } };
}

export interface RouteMatch {
  prefix?: string;
  path?: { exact: string } | { regex: string };
  method?: string;
  headers: HeaderMatch[];
  queryParameters: { name: string; exact: string }[];
}

export interface ResolvedRoute {
  /** Undefined for the shorthand `route`. */
  name?: string;
  /** The App Mesh route's name. */
  resourceName: string;
  priority: number;
  match: RouteMatch;
  /** Weighted targets by version name (undefined: the one unnamed version). */
  targets: { version?: string; weight: number }[];
  timeoutMs: number;
  retryPolicy?: RetryPolicy;
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

/** Where a certificate comes from: ACM (by ARN), files in the Envoy container, or an SDS agent. */
export type CertificateSource = { acm: string } | { file: { chain: string; key: string } } | { sds: string };
/** What a certificate is verified against: an AWS Private CA (by ARN), a CA file, or an SDS secret. */
export type TrustSource = { acm: string } | { file: string } | { sds: string };

export interface Tls {
  mode: "STRICT" | "PERMISSIVE";
  /** App Mesh: the listener's certificate. */
  certificate?: CertificateSource;
  /** What callers verify the service against (under Service Connect, the Private CA that issues its certificates). */
  trust: TrustSource;
  /** Mutual TLS (App Mesh): callers' certificates must chain to `trust`. */
  clientValidation?: { trust: Exclude<TrustSource, { acm: string }>; subjectAlternativeNames: string[] };
}

export interface Ingress {
  port: number;
  scheme: "internal" | "internet-facing";
  certificateArn?: string;
  allowedCidrs: string[];
}

export type SidecarImage = Size & { image: string };

export type ResolvedMesh =
  | { provider: "appmesh"; egress: "DROP_ALL" | "ALLOW_ALL"; ipPreference?: string; envoy: SidecarImage; xray: SidecarImage }
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
  externalServices: ExternalService[];
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

type NamedRouteConfig = NonNullable<ServiceConfig["routes"]>[number];

function headerMatch([name, m]: [string, NonNullable<NamedRouteConfig["match"]["headers"]>[string]]): HeaderMatch {
  const { invert, present: _present, ...how } = m;
  const [kind, value] = Object.entries(how).find(([, v]) => v !== undefined) ?? [];
  return { name, invert, ...(kind !== undefined && { match: { [kind]: value } as HeaderMatch["match"] }) };
}

function routeMatch(m: NamedRouteConfig["match"]): RouteMatch {
  return {
    ...(m.path === undefined && { prefix: m.prefix ?? "/" }),
    ...(m.path && { path: m.path.exact !== undefined ? { exact: m.path.exact } : { regex: m.path.regex! } }),
    ...(m.method && { method: m.method }),
    headers: Object.entries(m.headers ?? {}).map(headerMatch),
    queryParameters: Object.entries(m.queryParameters ?? {}).map(([name, q]) => ({ name, exact: q.exact })),
  };
}

/** The service's routes: its `routes`, or the shorthand `route` to its one version. */
function resolveRoutes(s: ServiceConfig, names: ServiceNames): ResolvedRoute[] {
  if (!s.routes) {
    const policy = retryPolicy(s.route);
    return [
      {
        resourceName: routeName(names, undefined),
        priority: s.route.priority,
        match: { prefix: s.route.prefix, headers: [], queryParameters: [] },
        targets: [{ weight: 100 }],
        timeoutMs: s.route.timeout,
        ...(policy && { retryPolicy: policy }),
      },
    ];
  }
  return s.routes.map((r) => {
    const policy = retryPolicy(r);
    return {
      name: r.name,
      resourceName: routeName(names, r.name),
      priority: r.priority,
      match: routeMatch(r.match),
      targets: r.to ? Object.entries(r.to).map(([version, weight]) => ({ version, weight })) : [{ weight: 100 }],
      timeoutMs: r.timeout,
      ...(policy && { retryPolicy: policy }),
    };
  });
}

/** Of several routes, the one whose deadline callers must allow: the longest. */
function governingRoute(routes: ResolvedRoute[]): ResolvedService["route"] {
  const r = routes.reduce((a, b) => (b.timeoutMs > a.timeoutMs ? b : a));
  return { prefix: r.match.prefix ?? "/", priority: r.priority, timeoutMs: r.timeoutMs, ...(r.retryPolicy && { retryPolicy: r.retryPolicy }) };
}

function resolveVersions(s: ServiceConfig, names: ServiceNames): ResolvedVersion[] {
  if (!s.versions) return [{ names: versionNames(names, undefined), imageTag: s.imageTag, desiredCount: s.desiredCount }];
  return Object.entries(s.versions).map(([name, v]) => ({
    name,
    names: versionNames(names, name),
    imageTag: v.imageTag ?? s.imageTag,
    desiredCount: v.desiredCount ?? s.desiredCount,
  }));
}

function retryPolicy(route: Pick<ServiceConfig["route"], "retryPolicy">): RetryPolicy | undefined {
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

const trustSource = (t: NonNullable<ServiceConfig["tls"]>["certificateAuthority"]): TrustSource => (typeof t === "string" ? { acm: t } : t);

function tls(t: NonNullable<ServiceConfig["tls"]>): Tls {
  const v = t.clientValidation;
  return {
    mode: t.mode,
    ...(t.certificate !== undefined && { certificate: typeof t.certificate === "string" ? { acm: t.certificate } : t.certificate }),
    trust: trustSource(t.certificateAuthority),
    ...(v && { clientValidation: { trust: v.trust, subjectAlternativeNames: v.subjectAlternativeNames ?? [] } }),
  };
}

function resolveMesh(config: EnvironmentConfig): ResolvedMesh {
  const { mesh, region } = config;
  if (mesh.provider === "service-connect") return { provider: "service-connect", proxy: mesh.proxy, xray: mesh.xray };
  return { provider: "appmesh", egress: mesh.egress, ...(mesh.ipPreference && { ipPreference: mesh.ipPreference }), envoy: { ...mesh.envoy, image: mesh.envoy.image ?? defaultEnvoyImage(region) }, xray: mesh.xray };
}

export function resolveEnvironment(config: EnvironmentConfig): ResolvedEnvironment {
  const names = environmentNames(config.environment, config.project, config.internalDomain);
  const taken = total(reservations(config.mesh)!);
  const externals = new Map(
    Object.entries(config.externalServices).map(([name, e]) => [name, { name, host: e.host, port: e.port, url: `${e.port === 443 ? "https" : "http"}://${e.host}:${e.port}` }]),
  );
  const routesOf = new Map(Object.entries(config.services).map(([name, s]) => [name, resolveRoutes(s, serviceNames(names, name))]));
  const backend = (service: string): ResolvedBackend => {
    const target = config.services[service]!;
    const dnsName = serviceNames(names, service).virtualService;
    const route = governingRoute(routesOf.get(service)!);
    return {
      service,
      dnsName,
      port: target.port,
      url: `http://${dnsName}:${target.port}`,
      timeoutMs: route.timeoutMs,
      ...(route.retryPolicy && { retryPolicy: route.retryPolicy }),
      ...(target.tls && { tls: { port: target.port, trust: trustSource(target.tls.certificateAuthority), mutual: target.tls.clientValidation !== undefined } }),
    };
  };
  const service = ([name, s]: [string, ServiceConfig]): ResolvedService => {
    const own = serviceNames(names, name);
    const routes = routesOf.get(name)!;
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
      },
      healthCheckCommand: s.healthCheckCommand ?? nodeHealthCheckCommand(s.port, s.healthCheckPath),
      task: { cpu: s.cpu, memory: s.memory },
      app: { cpu: s.cpu - taken.cpu, memory: s.memory - taken.memory },
      desiredCount: s.desiredCount,
      listenerTimeoutMs: s.timeout,
      backends: s.backends.map(backend),
      externalBackends: s.externalBackends.map((e) => externals.get(e)!),
      route: governingRoute(routes),
      routes,
      versions: resolveVersions(s, own),
      imageTag: s.imageTag,
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
    externalServices: [...externals.values()],
    services: Object.entries(config.services).map(service),
  };
}
