/**
 * The environment file's schema: shapes, enums, ranges and defaults, with a description of every field (the
 * editor shows it on hover: what the field does, its unit and its default). Checks that span several fields
 * (backends exist, Fargate sizes, name lengths, timeouts along a request's path) live in checks/.
 */
import { z } from "zod";
import { DURATION_HINT, DURATION_PATTERN, parseDuration } from "./duration";
import { APPMESH, FARGATE_CPU_VALUES, LOG_RETENTION_DAYS, PROVIDERS, RESERVED_PORTS, SERVICE_CONNECT_PROXY } from "./limits";

/** A DNS label that is also a valid ECR path component: no leading, trailing or doubled hyphen. */
export const DNS_LABEL = /^(?=.{1,63}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const DNS_LABEL_HINT =
  "lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen, at most 63 characters";

const label = (what: string) => z.string().regex(DNS_LABEL, { error: `${what} must be ${DNS_LABEL_HINT}` });

const duration = z
  .string({ error: `must be ${DURATION_HINT}` })
  .regex(DURATION_PATTERN, { error: `must be ${DURATION_HINT}` })
  .transform(parseDuration);

/** A duration bounded in milliseconds, with the bounds in the message. */
const durationBetween = (minMs: number, maxMs: number, shown: string) =>
  duration.refine((ms) => ms >= minMs && ms <= maxMs, { error: `must be between ${shown}` });

const port = z
  .int({ error: "must be a whole number from 1 to 65535" })
  .min(1)
  .max(65535)
  .refine((p) => !RESERVED_PORTS.includes(p), {
    error: `must not be ${RESERVED_PORTS.join(", ")} (the Envoy sidecar's admin, ingress and egress ports)`,
  });

const ServiceName = label("a service name");

const region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, { error: 'must be an AWS region such as "eu-west-1"' });

const retention = z.int().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
  error: `must be a CloudWatch Logs retention: one of ${LOG_RETENTION_DAYS.join(", ")}`,
});

/** A container image reference: [registry[:port]/]path[:tag][@sha256:digest] (Docker's grammar). */
const IMAGE = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const image = z.string().regex(IMAGE, { error: 'must be a container image such as "public.ecr.aws/xray/aws-xray-daemon:3.3.14"' });

/** ACM certificates and AWS Private CAs, by ARN. */
const ACM_CERTIFICATE = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const ACM_PCA = /^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]{36}$/;
const acmCertificate = z
  .string()
  .regex(ACM_CERTIFICATE, { error: 'must be an ACM certificate ARN such as "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"' });

/** Tag keys meshform sets on every resource itself (provider default_tags). */
export const MANAGED_TAGS = ["Environment", "Project", "ManagedBy"] as const;
/** AWS tags: letters, digits, spaces and `_ . : / = + - @`. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_TEXT_HINT = "letters, digits, spaces and _ . : / = + - @";
const tagKey = z
  .string()
  .min(1)
  .max(128)
  .regex(TAG_TEXT, { error: `a tag key may hold ${TAG_TEXT_HINT}` })
  .refine((k) => !k.toLowerCase().startsWith("aws:"), { error: 'a tag key cannot start with "aws:", which AWS reserves for its own tags' })
  .refine((k) => !(MANAGED_TAGS as readonly string[]).includes(k), {
    error: `meshform sets the tags ${MANAGED_TAGS.join(", ")} itself; use another key`,
  });
const tagValue = z.string().max(256).regex(TAG_TEXT, { error: `a tag value may hold ${TAG_TEXT_HINT}` });

const threshold = (outcomes: string, state: string) =>
  z
    .int()
    .min(APPMESH.healthCheck.thresholdMin)
    .max(APPMESH.healthCheck.thresholdMax)
    .default(2)
    .describe(`Consecutive ${outcomes} before a task counts as ${state}, 2 to 10. Default 2.`);

export const HealthCheckSchema = z.strictObject({
  interval: durationBetween(APPMESH.healthCheck.intervalMs.min, APPMESH.healthCheck.intervalMs.max, "5s and 300s")
    .prefault("5s")
    .describe("Time between two health checks, 5s to 300s. Default 5s."),
  timeout: durationBetween(APPMESH.healthCheck.timeoutMs.min, APPMESH.healthCheck.timeoutMs.max, "2s and 60s")
    .prefault("2s")
    .describe("How long one health check may take, 2s to 60s. Default 2s."),
  healthyThreshold: threshold("successes", "healthy"),
  unhealthyThreshold: threshold("failures", "unhealthy"),
});

export const RetryPolicySchema = z
  .strictObject({
    maxRetries: z.int().min(0).max(100).describe("Retries after the first try (so at most maxRetries + 1 tries), 0 to 100."),
    perRetryTimeout: durationBetween(1, 3_600_000, "1ms and 60m").describe("Time limit of each try, e.g. 5s; a try that runs out counts as a gateway error."),
    httpRetryEvents: z
      .array(z.enum(APPMESH.httpRetryEvents))
      .default([])
      .describe("HTTP outcomes that are retried: server-error (5xx), gateway-error (502, 503, 504), client-error (409), stream-error. Default none."),
    tcpRetryEvents: z
      .array(z.enum(APPMESH.tcpRetryEvents))
      .default([])
      .describe("Connection outcomes that are retried: connection-error (refused, reset). Default none."),
    backoff: z
      .strictObject({
        base: durationBetween(1, 60_000, "1ms and 60s").prefault("100ms").describe("First backoff ceiling; it doubles on every retry. Default 100ms."),
        cap: durationBetween(1, 300_000, "1ms and 5m").prefault("2s").describe("Largest backoff between two tries. Default 2s."),
      })
      .prefault({})
      .describe(
        "Service Connect only (the caller retries): pause before retry n, a random time up to min(cap, base × 2^n) (full jitter). Under App Mesh, Envoy's own backoff applies (25ms, up to 250ms).",
      ),
  })
  .refine((r) => r.httpRetryEvents.length + r.tcpRetryEvents.length > 0, {
    error: `needs at least one event in httpRetryEvents (${APPMESH.httpRetryEvents.join(", ")}) or tcpRetryEvents (${APPMESH.tcpRetryEvents.join(", ")})`,
  });

export const RouteSchema = z.strictObject({
  prefix: z.string().startsWith("/", { error: 'must start with "/"' }).default("/").describe('Path prefix the route matches. Default "/".'),
  priority: z
    .int()
    .min(APPMESH.routePriority.min)
    .max(APPMESH.routePriority.max)
    .default(1)
    .describe("Route priority, 0 (first) to 1000. Default 1."),
  timeout: durationBetween(1, 3_600_000, "1ms and 60m")
    .prefault("15s")
    .describe("Overall time limit of a request through this route, every retry included, e.g. 65s. Default 15s."),
  retryPolicy: RetryPolicySchema.optional().describe("How failed requests to this service are retried. Default: not retried."),
});

/** ECS bake times: whole minutes from 0 to 1440 (24 hours). */
const minutes = (what: string, dflt: string) =>
  duration
    .refine((ms) => ms % 60_000 === 0 && ms <= 1440 * 60_000, { error: "must be whole minutes from 0m to 1440m (24 hours), as ECS takes it" })
    .prefault(dflt)
    .describe(`${what}, in whole minutes (0m to 1440m). Default ${dflt}.`);

/** ECS traffic percentages: multiples of 0.1 from `min` to 100. */
const percent = (min: number, dflt: number, what: string) =>
  z
    .number()
    .refine((p) => p >= min && p <= 100 && Math.abs(p * 10 - Math.round(p * 10)) < 1e-9, { error: `must be from ${min} to 100, in steps of 0.1` })
    .default(dflt)
    .describe(`${what}, ${min} to 100 in steps of 0.1. Default ${dflt}.`);

export const DEPLOYMENT_STRATEGIES = ["rolling", "blue-green", "linear", "canary"] as const;

/** A CloudWatch alarm name: 1 to 255 characters, no control characters. */
const alarmName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\p{Cc}]+$/u, { error: "must be a CloudWatch alarm name: 1 to 255 characters, no control characters" });

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,50}$/;
const headerName = z.string().regex(HEADER_NAME, { error: "must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-), at most 50 characters" });

/** One way to match a header's value (App Mesh's header match); `present` matches any value. */
export const HeaderMatchSchema = z
  .strictObject({
    exact: z.string().min(1).max(255).optional().describe("The value, exactly."),
    prefix: z.string().min(1).max(255).optional().describe("The value starts with this."),
    suffix: z.string().min(1).max(255).optional().describe("The value ends with this."),
    regex: z.string().min(1).max(255).optional().describe("The value matches this regular expression (Envoy's RE2 syntax)."),
    range: z
      .strictObject({
        start: z.int().describe("Lowest value matched."),
        end: z.int().describe("First value no longer matched (the range excludes it)."),
      })
      .optional()
      .describe("The value is a whole number from start up to, not including, end."),
    present: z.literal(true).optional().describe("The header is there, whatever its value."),
    invert: z.boolean().default(false).describe("Match requests whose header does not match. Default false."),
  })
  .refine((m) => ["exact", "prefix", "suffix", "regex", "range", "present"].filter((k) => k in m).length === 1, {
    error: "must say how to match, with exactly one of exact, prefix, suffix, regex, range or present: true",
  })
  .describe("How a header's value matches: exactly one of exact, prefix, suffix, regex, range { start, end } or present: true; invert negates it.");

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"] as const;

export const RouteMatchSchema = z
  .strictObject({
    prefix: z.string().startsWith("/", { error: 'must start with "/"' }).optional().describe('Path prefix, e.g. "/v2". Default "/" unless path is given.'),
    path: z
      .strictObject({
        exact: z.string().startsWith("/", { error: 'must start with "/"' }).max(255).optional().describe("The path, exactly."),
        regex: z.string().min(1).max(255).optional().describe("A regular expression the whole path matches (RE2 syntax)."),
      })
      .refine((p) => (p.exact === undefined) !== (p.regex === undefined), { error: "must have exactly one of exact or regex" })
      .optional()
      .describe("Whole path: exact or regex (instead of prefix)."),
    method: z.enum(HTTP_METHODS).optional().describe("HTTP method the request must use. Default any."),
    headers: z
      .record(headerName, HeaderMatchSchema)
      .refine((h) => Object.keys(h).length >= 1 && Object.keys(h).length <= 10, { error: "must match 1 to 10 headers (App Mesh's limit)" })
      .optional()
      .describe("Headers the request must carry, by name (1 to 10)."),
    queryParameters: z
      .record(z.string().min(1).max(255), z.strictObject({ exact: z.string().max(255).describe("The parameter's value, exactly.") }))
      .refine((q) => Object.keys(q).length >= 1 && Object.keys(q).length <= 10, { error: "must match 1 to 10 query parameters" })
      .optional()
      .describe("Query parameters the request must carry, each with its exact value."),
  })
  .refine((m) => m.prefix === undefined || m.path === undefined, { error: "must have prefix or path, not both" })
  .describe("What requests the route takes: prefix or path, method, headers, query parameters. Default every request.");

export const NamedRouteSchema = z.strictObject({
  name: label("a route name").describe("Route name, unique within the service."),
  priority: z
    .int()
    .min(APPMESH.routePriority.min)
    .max(APPMESH.routePriority.max)
    .describe("Order among the service's routes, 0 (first) to 1000; unique within the service."),
  match: RouteMatchSchema.prefault({}),
  to: z
    .record(z.string(), z.int().min(0).max(100, { error: "must be a weight from 0 to 100" }))
    .optional()
    .describe("Versions the route sends to, with relative weights from 0 to 100 (at least one above 0), e.g. { v1: 90, v2: 10 }. Required with versions."),
  timeout: durationBetween(1, 3_600_000, "1ms and 60m")
    .prefault("15s")
    .describe("Overall time limit of a request through this route, every retry included. Default 15s."),
  retryPolicy: RetryPolicySchema.optional().describe("How failed requests through this route are retried. Default: not retried."),
});

export const OutlierDetectionSchema = z.strictObject({
  maxServerErrors: z.int().min(1).describe("Consecutive 5xx answers after which a task is ejected (taken out of load balancing), 1 or more."),
  interval: durationBetween(1, 3_600_000, "1ms and 60m").describe("Time between two sweeps that count errors and eject, e.g. 30s."),
  baseEjectionDuration: durationBetween(1, 3_600_000, "1ms and 60m").describe("How long an ejected task stays out, e.g. 30s (longer each time it is ejected again)."),
  maxEjectionPercent: z.int().min(0).max(100).describe("Largest share of the service's tasks ejected at once, 0 to 100 (at least one task can always be)."),
});

export const ConnectionPoolSchema = z.strictObject({
  maxConnections: z.int().min(1).optional().describe("protocol http: connections each caller's Envoy opens to the service's tasks at most."),
  maxPendingRequests: z.int().min(1).optional().describe("protocol http: requests queued beyond maxConnections before Envoy answers 503. Default Envoy's (2^32 - 1)."),
  maxRequests: z.int().min(1).optional().describe("protocol http2: requests in flight to the service's tasks at most."),
});


/** A path inside the Envoy container (App Mesh's file certificates: the image or a volume must hold them). */
const containerPath = z.string().regex(/^\/[^\0]{0,254}$/, { error: 'must be an absolute path inside the Envoy container, such as "/certs/chain.pem"' });
const sdsName = z.string().min(1).max(255).describe("The secret's name at the SDS agent (e.g. SPIRE), such as a SPIFFE ID.");
const fileCertificate = z
  .strictObject({ chain: containerPath.describe("The certificate chain (PEM)."), key: containerPath.describe("Its private key (PEM).") })
  .describe("Certificate and key files in the Envoy container.");

const CERTIFICATE_HINT = 'an ACM certificate ARN, { file: { chain, key } } or { sds: "secret name" }';
export const TlsSchema = z.strictObject({
  mode: z
    .enum(["STRICT", "PERMISSIVE"])
    .default("STRICT")
    .describe("STRICT: the listener takes TLS only; PERMISSIVE (App Mesh only): TLS and plain text, while callers move to TLS. Default STRICT."),
  certificate: z
    .union([acmCertificate, z.strictObject({ file: fileCertificate }), z.strictObject({ sds: sdsName })], { error: `must be ${CERTIFICATE_HINT}` })
    .optional()
    .describe(`App Mesh: the listener's certificate: ${CERTIFICATE_HINT}.`),
  certificateAuthority: z
    .union(
      [
        z.string().regex(ACM_PCA, { error: 'must be an AWS Private CA ARN such as "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"' }),
        z.strictObject({ file: containerPath.describe("The CA's certificate chain (PEM) in the callers' Envoy containers.") }),
        z.strictObject({ sds: sdsName }),
      ],
      { error: 'must be an AWS Private CA ARN, { file: "/path/ca.pem" } or { sds: "secret name" }' },
    )
    .describe(
      "What callers trust to verify the service: an AWS Private CA ARN (Service Connect issues every task's certificate from it), or under App Mesh a CA file or an SDS secret.",
    ),
  clientValidation: z
    .strictObject({
      trust: z
        .union([z.strictObject({ file: containerPath.describe("CA chain (PEM) the callers' certificates must chain to.") }), z.strictObject({ sds: sdsName })], {
          error: 'must be { file: "/path/ca.pem" } or { sds: "secret name" } (App Mesh checks client certificates against a file or SDS only)',
        })
        .describe("What the callers' certificates must chain to."),
      subjectAlternativeNames: z.array(z.string().min(1).max(255)).min(1).optional().describe("Accept only client certificates with one of these names. Default any."),
    })
    .optional()
    .describe("App Mesh only: mutual TLS: the listener asks every caller for a certificate (callers set clientCertificate)."),
});

export const VersionSchema = z.strictObject({
  imageTag: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "must be a Docker tag: letters, digits, _ . -, at most 128" })
    .optional()
    .describe("Image tag this version runs. Default: the service's imageTag."),
  desiredCount: z.int().min(0).max(1000).optional().describe("Tasks of this version. Default: the service's desiredCount."),
});

export const DeploymentSchema = z.strictObject({
  strategy: z
    .enum(DEPLOYMENT_STRATEGIES)
    .default("rolling")
    .describe(
      "How ECS replaces tasks: rolling (a few at a time), blue-green (a whole new set, then all traffic at once), linear (traffic in equal steps) or canary (a small share first, then the rest). The last three are Service Connect only. Default rolling.",
    ),
  bakeTime: minutes("blue-green, linear and canary: how long both revisions keep running after all traffic has moved, so a rollback is instant", "10m"),
  canary: z
    .strictObject({
      percent: percent(0.1, 5, "Share of traffic the new revision gets first, in %"),
      bakeTime: minutes("How long the canary share runs before the rest of the traffic moves", "10m"),
    })
    .prefault({})
    .describe("strategy canary: the first share of traffic and how long it runs. Default 5% for 10m."),
  linear: z
    .strictObject({
      stepPercent: percent(3, 10, "Share of traffic moved in each step, in %"),
      stepBakeTime: minutes("Time between two steps", "6m"),
    })
    .prefault({})
    .describe("strategy linear: the size of each step and the time between steps. Default 10% every 6m."),
  rollbackAlarms: z
    .array(alarmName)
    .default([])
    .describe("CloudWatch alarms (names) that roll the deployment back when any goes into ALARM. Default none."),
  testTraffic: z
    .strictObject({
      header: z
        .string()
        .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, { error: "must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-), at most 64 characters" })
        .describe("Name of the request header that marks test traffic, e.g. x-beta-user."),
      exact: z.string().min(1).max(128).describe("The header's value that marks test traffic, e.g. \"true\"."),
    })
    .optional()
    .describe(
      "Service Connect, blue-green, linear or canary: requests carrying this header reach the new revision before production traffic does. Default: ECS's x-amzn-ecs-blue-green-test header.",
    ),
  minimumHealthyPercent: z
    .int()
    .min(0)
    .max(100)
    .default(100)
    .describe("Share of desiredCount that must stay running during a deployment, in %. Default 100."),
  maximumPercent: z
    .int()
    .min(100)
    .max(1000)
    .default(200)
    .describe("Share of desiredCount that may run during a deployment, in %. Default 200."),
  waitForSteadyState: z
    .boolean()
    .default(true)
    .describe("Make `terraform apply` wait until the deployment is steady, so a rollback by the circuit breaker fails the apply. Default true."),
});

/** An IPv4 CIDR block such as 10.0.0.0/8. */
const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;

export const IngressSchema = z.strictObject({
  port: z.int().min(1).max(65535).default(443).describe("Port the load balancer listens on. Default 443."),
  scheme: z
    .enum(["internal", "internet-facing"])
    .default("internal")
    .describe("internal: reachable inside the VPC (and what is peered or connected to it); internet-facing: from the internet too, which needs a certificate. Default internal."),
  certificate: acmCertificate
    .optional()
    .describe("ACM certificate: the listener terminates TLS (TLS 1.2 and 1.3 only) and forwards to the service. Without it the listener passes TCP through."),
  allowedCidrs: z
    .array(z.string().regex(IPV4_CIDR, { error: 'must be an IPv4 CIDR block such as "10.0.0.0/8"' }))
    .min(1, { error: "must name at least one CIDR block: the load balancer admits no one else" })
    .max(50)
    .describe("IPv4 blocks allowed to reach the load balancer's port; nobody else is."),
});

const SidecarSize = (what: string, cpu: number, memory: number) => ({
  cpu: z.int().min(0).max(16384).default(cpu).describe(`CPU units reserved for ${what} in every task. Default ${cpu}.`),
  memory: z.int().min(6).max(122880).default(memory).describe(`Memory (MiB) reserved for ${what} in every task. Default ${memory}.`),
});

const HEALTH_CHECK_COMMAND_HINT = 'must start with "CMD" (run the command) or "CMD-SHELL" (run it with the container\'s shell), as ECS requires';

export const ServiceSchema = z.strictObject({
  port: port.describe("Port the app listens on (APP_PORT); the proxy's listener and the security group use it too."),
  protocol: z.enum(APPMESH.protocols).default("http").describe("Protocol of the listener and route: http or http2. Default http."),
  healthCheckPath: z
    .string()
    .startsWith("/", { error: 'must start with "/"' })
    .default("/health-check")
    .describe('HTTP path that answers 200 when the app is healthy. Default "/health-check".'),
  healthCheck: HealthCheckSchema.prefault({}).describe("Health check of the service's listener."),
  healthCheckCommand: z
    .array(z.string())
    .min(2)
    .refine((c) => c[0] === "CMD" || c[0] === "CMD-SHELL", { error: HEALTH_CHECK_COMMAND_HINT })
    .optional()
    .describe('Container health check command, e.g. ["CMD-SHELL", "curl -f http://localhost:3000/health"]. Default: a node one-liner requesting healthCheckPath.'),
  cpu: z
    .literal(FARGATE_CPU_VALUES as [number, ...number[]], {
      error: `must be a Fargate CPU size: one of ${FARGATE_CPU_VALUES.join(", ")}`,
    })
    .describe("Fargate task CPU units (1024 = 1 vCPU); the sidecars' shares come out of it."),
  memory: z.int().positive().describe("Fargate task memory (MiB); must pair with cpu as Fargate allows."),
  desiredCount: z.int().min(0).max(1000).default(1).describe("Number of tasks. Default 1."),
  timeout: durationBetween(1, 3_600_000, "1ms and 60m")
    .prefault("15s")
    .describe("Time limit of a request to this service at its listener, e.g. 15s; bounds everything it does for that request. Default 15s."),
  backends: z.array(ServiceName).default([]).describe("Services of this file this one calls; each gets <NAME>_URL in the app's environment. Default none."),
  externalBackends: z
    .array(ServiceName)
    .default([])
    .describe("externalServices this one calls; each gets <NAME>_URL, and under App Mesh its Envoy may reach it. Default none."),
  route: RouteSchema.prefault({}).describe("How requests reach this service: prefix, priority, timeout, retry policy."),
  routes: z
    .array(NamedRouteSchema)
    .min(1)
    .max(50, { error: "must hold at most 50 routes (App Mesh's default quota per virtual router)" })
    .optional()
    .describe("App Mesh only: several routes, each with a match, versions and weights (instead of route)."),
  versions: z
    .record(label("a version name"), VersionSchema)
    .refine((v) => Object.keys(v).length >= 1 && Object.keys(v).length <= 10, { error: "must declare 1 to 10 versions (App Mesh routes send to at most 10 targets)" })
    .optional()
    .describe("App Mesh only: versions running side by side, each with its own image tag, count, task definition, ECS service and virtual node; routes split traffic between them."),
  imageTag: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "must be a Docker tag: letters, digits, _ . -, at most 128" })
    .default("v1")
    .describe('Image tag in the service\'s ECR repository (tags are immutable: a new tag per release). Default "v1".'),
  environment: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "must be an environment variable name" }), z.string())
    .default({})
    .describe("Extra environment variables of the app container, as NAME: value. Names meshform sets itself are refused."),
  logRetentionDays: retention.optional().describe("Days the service's logs are kept; overrides the environment's logRetentionDays."),
  deployment: DeploymentSchema.prefault({}).describe("How ECS replaces tasks on a deployment."),
  outlierDetection: OutlierDetectionSchema.optional().describe(
    "App Mesh only: callers' Envoys take a task out of load balancing after consecutive 5xx answers (circuit breaking). Default none.",
  ),
  connectionPool: ConnectionPoolSchema.optional().describe("App Mesh only: how much each caller's Envoy sends to this service at once. Default Envoy's limits."),
  tls: TlsSchema.optional().describe("Encrypt traffic to this service: its listener terminates TLS and its callers verify it. Default plain text inside the mesh."),
  clientCertificate: z
    .union([z.strictObject({ file: fileCertificate }), z.strictObject({ sds: sdsName })], { error: 'must be { file: { chain, key } } or { sds: "secret name" }' })
    .optional()
    .describe("App Mesh only: the certificate this service's Envoy presents to backends that require mutual TLS (tls.clientValidation)."),
  ingress: IngressSchema.optional().describe("A way in from outside the services' security group: a Network Load Balancer in front of this service. Default none."),
  deadLetterQueue: z
    .boolean()
    .default(false)
    .describe("Let the app send what it cannot deliver to the environment's dead-letter queue (DEAD_LETTER_QUEUE_URL; sqs:SendMessage on that queue only). Default false."),
});

export const EnvironmentSchema = z.strictObject({
  environment: label("an environment name").describe("Environment name; must equal the file name."),
  project: label("a project name").describe("Project name; every resource name starts with <environment>-<project>."),
  region: region.describe('AWS region of every resource, e.g. "eu-west-1".'),
  internalDomain: z
    .string()
    .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
      error: "must be a DNS name: dot-separated labels of lowercase letters, digits and hyphens",
    })
    .describe("Private DNS domain; the Cloud Map namespace is <environment>.<internalDomain>."),
  network: z
    .strictObject({
      vpcId: z
        .string()
        .regex(/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/, { error: 'must be a VPC id such as "vpc-0123456789abcdef0"' })
        .describe("The VPC the tasks and the namespace live in."),
      subnetIds: z
        .array(
          z.string().regex(/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/, {
            error: 'must be a subnet id such as "subnet-0123456789abcdef0"',
          }),
        )
        .min(1)
        .describe("Private subnets the tasks run in (no public IPs are assigned)."),
    })
    .describe("Where the tasks run."),
  state: z
    .strictObject({
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name" }).describe("S3 bucket holding the state."),
      key: z.string().min(1).describe("Object key of this environment's state."),
      region: region.describe("Region of the bucket."),
    })
    .optional()
    .describe("Terraform state in S3, encrypted, with S3-native locking (Terraform >= 1.10). Default: local state beside the repository."),
  mesh: z
    .strictObject({
      provider: z
        .enum(PROVIDERS)
        .describe("How services reach each other: service-connect (ECS Service Connect) or appmesh (AWS App Mesh, end of life since 2026-09-30)."),
      egress: z
        .enum(APPMESH.egressFilters)
        .default("DROP_ALL")
        .describe("App Mesh only: DROP_ALL lets tasks reach only mesh services; ALLOW_ALL lets them reach anything. Default DROP_ALL."),
      ipPreference: z
        .enum(APPMESH.ipPreferences)
        .optional()
        .describe("App Mesh only: which addresses Envoy uses for the tasks it discovers: IPv4_ONLY, IPv4_PREFERRED, IPv6_ONLY or IPv6_PREFERRED. Default App Mesh's (IPv4)."),
      envoy: z
        .strictObject({
          image: image.optional().describe("Envoy image. Default: AWS's App Mesh Envoy in the environment's own region."),
          ...SidecarSize("the Envoy proxy", 128, 256),
        })
        .prefault({})
        .describe("App Mesh only: the Envoy proxy sidecar of every task."),
      proxy: z
        .strictObject(SidecarSize("the Service Connect proxy ECS adds to it", SERVICE_CONNECT_PROXY.cpu, SERVICE_CONNECT_PROXY.memory))
        .prefault({})
        .describe(
          "Service Connect only: the share of every task left to the proxy ECS injects. Defaults follow AWS: 256 CPU units (512 above about 500 requests/s) and 64 MiB.",
        ),
      xray: z
        .strictObject({
          image: image.default("public.ecr.aws/xray/aws-xray-daemon:3.3.14").describe("X-Ray daemon image. Default public.ecr.aws/xray/aws-xray-daemon:3.3.14."),
          ...SidecarSize("the X-Ray daemon", 32, 128),
        })
        .prefault({})
        .describe("The X-Ray daemon sidecar of every task."),
    })
    .describe("How services reach each other."),
  cluster: z
    .strictObject({
      containerInsights: z
        .enum(["enabled", "enhanced", "disabled"])
        .default("enabled")
        .describe("CloudWatch Container Insights: enabled, enhanced or disabled. Default enabled."),
      fargateSpotWeight: z
        .int()
        .min(0)
        .max(1000)
        .default(0)
        .describe("Weight of FARGATE_SPOT beside FARGATE's 1 (the first task always runs on FARGATE); 0 keeps every task on FARGATE. Default 0."),
    })
    .prefault({})
    .describe("The ECS cluster."),
  logRetentionDays: retention.default(30).describe("Days every service's logs are kept (a CloudWatch Logs retention value). Default 30."),
  alarmTopicArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, { error: 'must be an SNS topic ARN such as "arn:aws:sns:eu-west-1:123456789012:alerts"' })
    .optional()
    .describe("SNS topic the environment's alarms notify (the dead-letter queue's). Default: alarms without actions."),
  tags: z.record(tagKey, tagValue).default({}).describe("Tags on every resource, beside Environment, Project and ManagedBy, which meshform sets. Default none."),
  externalServices: z
    .record(
      ServiceName,
      z.strictObject({
        host: z
          .string()
          .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, { error: 'must be a DNS name such as "api.example.com"' })
          .describe("DNS name of the service outside the mesh, e.g. api.example.com."),
        port: port.describe("Port it listens on; 443 means the app speaks HTTPS to it."),
      }),
    )
    .default({})
    .describe("Services outside the mesh that services call (externalBackends): under App Mesh's DROP_ALL, Envoy reaches only these. Default none."),
  services: z
    .record(ServiceName, ServiceSchema)
    .refine((s) => Object.keys(s).length > 0, {
      error: "must declare at least one service",
    })
    .describe("The services of this environment, by name (a DNS label)."),
});

/** The parsed, defaulted config of one environment (durations in milliseconds). */
export type EnvironmentConfig = z.output<typeof EnvironmentSchema>;
export type ServiceConfig = z.output<typeof ServiceSchema>;
