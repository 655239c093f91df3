/**
 * The resolved model of how requests reach a service and how it is released: versions, routes and their
 * matches, the deployment, TLS, the ingress; and their resolution from the parsed config. model.ts holds the
 * service and the environment, and re-exports these types.
 */

import type { ResolvedService, RetryPolicy } from "./model";
import { type ServiceNames, type VersionNames, versionNames } from "./names";
import type { DEPLOYMENT_STRATEGIES, ServiceConfig } from "./schema";

export interface ResolvedVersion {
  /** Undefined for the one version of a service that declares none: it keeps the service's names. */
  name?: string;
  names: VersionNames;
  /** Undefined while the version's image is not pushed yet (the environment's own repository, no imageTag). */
  imageTag?: string;
  /** Runs no tasks (desiredCount 0, no scaling) until imageTag names an image pushed to its repository. */
  awaitingImage: boolean;
  desiredCount: number;
}

/** The service as one of its versions runs it: that version's names, image tag and task count. */
export function asVersion(s: ResolvedService, v: ResolvedVersion): ResolvedService {
  const { imageTag: _tag, ...rest } = s;
  return {
    ...rest,
    names: { ...s.names, ...v.names },
    ...(v.imageTag !== undefined && { imageTag: v.imageTag }),
    awaitingImage: v.awaitingImage,
    desiredCount: v.desiredCount,
  };
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
export function resolveRoutes(s: ServiceConfig): ResolvedRoute[] {
  if (!s.routes) {
    const policy = retryPolicy(s.route);
    return [
      {
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
      priority: r.priority,
      match: routeMatch(r.match),
      targets: r.to ? Object.entries(r.to).map(([version, weight]) => ({ version, weight })) : [{ weight: 100 }],
      timeoutMs: r.timeout,
      ...(policy && { retryPolicy: policy }),
    };
  });
}

/** Of several routes, the one whose deadline callers must allow: the longest. */
export function governingRoute(routes: ResolvedRoute[]): ResolvedService["route"] {
  const r = routes.reduce((a, b) => (b.timeoutMs > a.timeoutMs ? b : a));
  return {
    prefix: r.match.prefix ?? "/",
    priority: r.priority,
    timeoutMs: r.timeoutMs,
    ...(r.retryPolicy && { retryPolicy: r.retryPolicy }),
  };
}

/**
 * The tag a task definition names while its version awaits its first image: a task definition needs an image, and
 * no task ever runs it (desiredCount 0).
 */
export const AWAITING_IMAGE_TAG = "awaiting-first-image";

/**
 * A version's image tag and task count. Without an image of its own and without imageTag, nothing can run yet:
 * the environment's repository is created by the same apply, empty (issue 15, row 3), so the version starts at
 * 0 tasks, and runs once imageTag names what was pushed.
 */
function runs(s: ServiceConfig, tag: string | undefined, desiredCount: number) {
  const awaitingImage = s.image === undefined && tag === undefined;
  return { ...(tag !== undefined && { imageTag: tag }), awaitingImage, desiredCount: awaitingImage ? 0 : desiredCount };
}

/** `environmentTag`: the file's top-level imageTag, the default of every service's. */
export function resolveVersions(s: ServiceConfig, names: ServiceNames, environmentTag?: string): ResolvedVersion[] {
  const tag = s.imageTag ?? environmentTag;
  if (!s.versions) return [{ names: versionNames(names, undefined), ...runs(s, tag, s.desiredCount) }];
  return Object.entries(s.versions).map(([name, v]) => ({
    name,
    names: versionNames(names, name),
    ...runs(s, v.imageTag ?? tag, v.desiredCount ?? s.desiredCount),
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
    ...(p.grpcRetryEvents.length > 0 && { grpcRetryEvents: p.grpcRetryEvents }),
    backoff: { baseMs: p.backoff.base, capMs: p.backoff.cap },
  };
}

const MINUTE_MS = 60_000;

export function deployment(d: ServiceConfig["deployment"]): Deployment {
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

export function ingress(i: NonNullable<ServiceConfig["ingress"]>): Ingress {
  return { port: i.port, scheme: i.scheme, ...(i.certificate && { certificateArn: i.certificate }), allowedCidrs: i.allowedCidrs };
}

export const trustSource = (t: NonNullable<ServiceConfig["tls"]>["certificateAuthority"]): TrustSource =>
  typeof t === "string" ? { acm: t } : t;

export function tls(t: NonNullable<ServiceConfig["tls"]>): Tls {
  const v = t.clientValidation;
  return {
    mode: t.mode,
    ...(t.certificate !== undefined && { certificate: typeof t.certificate === "string" ? { acm: t.certificate } : t.certificate }),
    trust: trustSource(t.certificateAuthority),
    ...(v && { clientValidation: { trust: v.trust, subjectAlternativeNames: v.subjectAlternativeNames ?? [] } }),
  };
}
