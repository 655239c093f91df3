/**
 * The schema of how requests reach a service and how it is released: retry policies and routes, versions,
 * deployments, listener settings (outlier detection, connection pools, TLS), the ingress. Each field says which
 * provider honours it; what a provider cannot honour is refused by its checks (src/providers/<provider>/checks.ts).
 */
import { z } from "zod";
import { RETRY_EVENTS, ROUTE_PRIORITY } from "./limits";
import { ACM_PCA, acmCertificate, duration, durationBetween, label } from "./schema-primitives";

export const RetryPolicySchema = z
  .strictObject({
    maxRetries: z.int().min(0).max(100).describe("Retries after the first try (so at most maxRetries + 1 tries), 0 to 100."),
    perRetryTimeout: durationBetween(1, 3_600_000, "1ms and 60m").describe(
      "Time limit of each try, e.g. 5s; a try that runs out counts as a gateway error.",
    ),
    httpRetryEvents: z
      .array(z.enum(RETRY_EVENTS.http))
      .default([])
      .describe(
        "HTTP outcomes that are retried: server-error (5xx), gateway-error (502, 503, 504), client-error (409), stream-error. Default none.",
      ),
    tcpRetryEvents: z
      .array(z.enum(RETRY_EVENTS.tcp))
      .default([])
      .describe("Connection outcomes that are retried: connection-error (refused, reset). Default none."),
    grpcRetryEvents: z
      .array(z.enum(RETRY_EVENTS.grpc))
      .default([])
      .describe(
        "protocol grpc: gRPC statuses that are retried: cancelled, deadline-exceeded, internal, resource-exhausted, unavailable. Default none.",
      ),
    backoff: z
      .strictObject({
        base: durationBetween(1, 60_000, "1ms and 60s")
          .prefault("100ms")
          .describe("First backoff ceiling; it doubles on every retry. Default 100ms."),
        cap: durationBetween(1, 300_000, "1ms and 5m").prefault("2s").describe("Largest backoff between two tries. Default 2s."),
      })
      .prefault({})
      .describe(
        "Service Connect and VPC Lattice (the caller retries): pause before retry n, a random time up to min(cap, base × 2^n) (full jitter). Under App Mesh, Envoy's own backoff applies (25ms, up to 250ms).",
      ),
  })
  .refine((r) => r.httpRetryEvents.length + r.tcpRetryEvents.length + r.grpcRetryEvents.length > 0, {
    error: `needs at least one event in httpRetryEvents (${RETRY_EVENTS.http.join(", ")}), tcpRetryEvents (${RETRY_EVENTS.tcp.join(", ")}) or grpcRetryEvents (${RETRY_EVENTS.grpc.join(", ")})`,
  });

export const RouteSchema = z.strictObject({
  prefix: z.string().startsWith("/", { error: 'must start with "/"' }).default("/").describe('Path prefix the route matches. Default "/".'),
  priority: z.int().min(ROUTE_PRIORITY.min).max(ROUTE_PRIORITY.max).default(1).describe("Route priority, 0 (first) to 1000. Default 1."),
  timeout: durationBetween(1, 3_600_000, "1ms and 60m")
    .prefault("15s")
    .describe("Overall time limit of a request through this route, every retry included, e.g. 65s. Default 15s."),
  retryPolicy: RetryPolicySchema.optional().describe("How failed requests to this service are retried. Default: not retried."),
});

/** ECS bake times: whole minutes from 0 to 1440 (24 hours). */
const minutes = (what: string, dflt: string) =>
  duration
    .refine((ms) => ms % 60_000 === 0 && ms <= 1440 * 60_000, {
      error: "must be whole minutes from 0m to 1440m (24 hours), as ECS takes it",
    })
    .prefault(dflt)
    .describe(`${what}, in whole minutes (0m to 1440m). Default ${dflt}.`);

/** ECS traffic percentages: multiples of 0.1 from `min` to 100. */
const percent = (min: number, dflt: number, what: string) =>
  z
    .number()
    .refine((p) => p >= min && p <= 100 && Math.abs(p * 10 - Math.round(p * 10)) < 1e-9, {
      error: `must be from ${min} to 100, in steps of 0.1`,
    })
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
const headerName = z
  .string()
  .regex(HEADER_NAME, { error: "must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-), at most 50 characters" });

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
  .describe(
    "How a header's value matches: exactly one of exact, prefix, suffix, regex, range { start, end } or present: true; invert negates it.",
  );

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"] as const;

export const RouteMatchSchema = z
  .strictObject({
    prefix: z
      .string()
      .startsWith("/", { error: 'must start with "/"' })
      .optional()
      .describe('Path prefix, e.g. "/v2". Default "/" unless path is given.'),
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
    .min(ROUTE_PRIORITY.min)
    .max(ROUTE_PRIORITY.max)
    .describe("Order among the service's routes, 0 (first) to 1000; unique within the service."),
  match: RouteMatchSchema.prefault({}),
  to: z
    .record(z.string(), z.int().min(0).max(100, { error: "must be a weight from 0 to 100" }))
    .optional()
    .describe(
      "Versions the route sends to, with relative weights from 0 to 100 (at least one above 0), e.g. { v1: 90, v2: 10 }. Required with versions.",
    ),
  timeout: durationBetween(1, 3_600_000, "1ms and 60m")
    .prefault("15s")
    .describe("Overall time limit of a request through this route, every retry included. Default 15s."),
  retryPolicy: RetryPolicySchema.optional().describe("How failed requests through this route are retried. Default: not retried."),
});

export const OutlierDetectionSchema = z.strictObject({
  maxServerErrors: z
    .int()
    .min(1)
    .describe("Consecutive 5xx answers after which a task is ejected (taken out of load balancing), 1 or more."),
  interval: durationBetween(1, 3_600_000, "1ms and 60m").describe("Time between two sweeps that count errors and eject, e.g. 30s."),
  baseEjectionDuration: durationBetween(1, 3_600_000, "1ms and 60m").describe(
    "How long an ejected task stays out, e.g. 30s (longer each time it is ejected again).",
  ),
  maxEjectionPercent: z
    .int()
    .min(0)
    .max(100)
    .describe("Largest share of the service's tasks ejected at once, 0 to 100 (at least one task can always be)."),
});

export const ConnectionPoolSchema = z.strictObject({
  maxConnections: z
    .int()
    .min(1)
    .optional()
    .describe("protocol http: connections each caller's Envoy opens to the service's tasks at most."),
  maxPendingRequests: z
    .int()
    .min(1)
    .optional()
    .describe("protocol http: requests queued beyond maxConnections before Envoy answers 503. Default Envoy's (2^32 - 1)."),
  maxRequests: z.int().min(1).optional().describe("protocol http2: requests in flight to the service's tasks at most."),
});

/** A path inside the Envoy container (App Mesh's file certificates: the image or a volume must hold them). */
const containerPath = z
  .string()
  .regex(/^\/[^\0]{0,254}$/, { error: 'must be an absolute path inside the Envoy container, such as "/certs/chain.pem"' });
const sdsName = z.string().min(1).max(255).describe("The secret's name at the SDS agent (e.g. SPIRE), such as a SPIFFE ID.");
const fileCertificate = z
  .strictObject({ chain: containerPath.describe("The certificate chain (PEM)."), key: containerPath.describe("Its private key (PEM).") })
  .describe("Certificate and key files in the Envoy container.");

export const ClientCertificateSchema = z.union([z.strictObject({ file: fileCertificate }), z.strictObject({ sds: sdsName })], {
  error: 'must be { file: { chain, key } } or { sds: "secret name" }',
});

const CERTIFICATE_HINT = 'an ACM certificate ARN, { file: { chain, key } } or { sds: "secret name" }';
export const TlsSchema = z.strictObject({
  mode: z
    .enum(["STRICT", "PERMISSIVE"])
    .default("STRICT")
    .describe(
      "STRICT: the listener takes TLS only; PERMISSIVE (App Mesh only): TLS and plain text, while callers move to TLS. Default STRICT.",
    ),
  certificate: z
    .union([acmCertificate, z.strictObject({ file: fileCertificate }), z.strictObject({ sds: sdsName })], {
      error: `must be ${CERTIFICATE_HINT}`,
    })
    .optional()
    .describe(`App Mesh: the listener's certificate: ${CERTIFICATE_HINT}.`),
  certificateAuthority: z
    .union(
      [
        z.string().regex(ACM_PCA, {
          error:
            'must be an AWS Private CA ARN such as "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"',
        }),
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
        .union(
          [
            z.strictObject({ file: containerPath.describe("CA chain (PEM) the callers' certificates must chain to.") }),
            z.strictObject({ sds: sdsName }),
          ],
          {
            error:
              'must be { file: "/path/ca.pem" } or { sds: "secret name" } (App Mesh checks client certificates against a file or SDS only)',
          },
        )
        .describe("What the callers' certificates must chain to."),
      subjectAlternativeNames: z
        .array(z.string().min(1).max(255))
        .min(1)
        .optional()
        .describe("Accept only client certificates with one of these names. Default any."),
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
  bakeTime: minutes(
    "blue-green, linear and canary: how long both revisions keep running after all traffic has moved, so a rollback is instant",
    "10m",
  ),
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
        .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, {
          error: "must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-), at most 64 characters",
        })
        .describe("Name of the request header that marks test traffic, e.g. x-beta-user."),
      exact: z.string().min(1).max(128).describe('The header\'s value that marks test traffic, e.g. "true".'),
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
    .describe(
      "Make `terraform apply` wait until the deployment is steady, so a rollback by the circuit breaker fails the apply. Default true.",
    ),
});

/** An IPv4 CIDR block such as 10.0.0.0/8. */
const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;

/** The networks a load balancer admits: nobody else reaches its listeners. */
export const allowedCidrs = z
  .array(z.string().regex(IPV4_CIDR, { error: 'must be an IPv4 CIDR block such as "10.0.0.0/8"' }))
  .min(1, { error: "must name at least one CIDR block: the load balancer admits no one else" })
  .max(50);

export const loadBalancerScheme = z.enum(["internal", "internet-facing"]).default("internal");

export const IngressSchema = z.strictObject({
  port: z.int().min(1).max(65535).default(443).describe("Port the load balancer listens on. Default 443."),
  scheme: loadBalancerScheme.describe(
    "internal: reachable inside the VPC (and what is peered or connected to it); internet-facing: from the internet too, which needs a certificate. Default internal.",
  ),
  certificate: acmCertificate
    .optional()
    .describe(
      "ACM certificate: the listener terminates TLS (TLS 1.2 and 1.3 only) and forwards to the service. Without it the listener passes TCP through.",
    ),
  allowedCidrs: allowedCidrs.describe("IPv4 blocks allowed to reach the load balancer's port; nobody else is."),
});
