/** AWS limits that the schema and the cross-checks enforce, in one place. */

/** Fargate task CPU units → the task memory values (MiB) AWS accepts with it. */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

export const FARGATE_CPU_VALUES = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);

/** Describes the memory values allowed with a Fargate CPU size, e.g. "1024-4096 in steps of 1024". */
export function describeFargateMemory(cpu: number): string {
  const values = FARGATE_MEMORY_BY_CPU[cpu] ?? [];
  if (values.length <= 3) return values.join(", ");
  const step = values[1]! - values[0]!;
  return `${values[0]}-${values[values.length - 1]} in steps of ${step}`;
}

/** CloudWatch Logs retention values (days) that PutRetentionPolicy accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * The vocabulary of routes, retries and health checks in the YAML, the same under every provider. The names
 * and ranges are App Mesh's, where meshform first took them (App Mesh API reference: HttpRetryPolicy,
 * HealthCheckPolicy, RouteSpec.priority); ECS container health checks take the same ranges (interval 5-300 s,
 * timeout 2-60 s, retries 1-10: ECS API reference, HealthCheck).
 */
export const RETRY_EVENTS = {
  http: ["server-error", "gateway-error", "client-error", "stream-error"] as const,
  tcp: ["connection-error"] as const,
  /** App Mesh API reference, GrpcRetryPolicyEvent. */
  grpc: ["cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable"] as const,
};
export const PROTOCOLS = ["http", "http2", "grpc", "tcp"] as const;
export const ROUTE_PRIORITY = { min: 0, max: 1000 } as const;
export const HEALTH_CHECK = {
  thresholdMin: 2,
  thresholdMax: 10,
  intervalMs: { min: 5_000, max: 300_000 },
  timeoutMs: { min: 2_000, max: 60_000 },
} as const;

/**
 * The tracing collectors beside every app. The X-Ray daemon reaches end of support on 2027-02-25 (X-Ray guide,
 * "X-Ray SDK and daemon end of support timeline": "X-Ray SDKs and daemon will no longer receive updates or
 * releases"); AWS's recommended successor is the AWS Distro for OpenTelemetry collector, which receives X-Ray's
 * UDP protocol (its awsxray receiver) and OTLP. Sizes are meshform's choice: AWS publishes no sizing for either
 * (its ADOT Fargate sample gives the collector 256 CPU units and 512 MiB); the ADOT image is the release seen in
 * AWS's and others' public task definitions at the time of writing, pinned so that a deploy is repeatable.
 */
export const TRACING_COLLECTORS = ["adot", "xray-daemon", "none"] as const;
/**
 * Ports the collector listens on inside the task: X-Ray's UDP protocol and its sampling proxy (TCP) on 2000, as
 * the X-Ray daemon does; ADOT adds OTLP on 4317 (gRPC) and 4318 (HTTP) and its health check on 13133.
 */
export const TRACING_PORTS = { xray: 2000, otlpGrpc: 4317, otlpHttp: 4318, health: 13133 } as const;
export const TRACING_DEFAULTS = {
  adot: { image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.47.0", cpu: 64, memory: 128 },
  "xray-daemon": { image: "public.ecr.aws/xray/aws-xray-daemon:3.3.14", cpu: 32, memory: 128 },
} as const;

/**
 * Name limits derived names can reach. The others (App Mesh 255, ECS 255, ECR 256, log groups 512) cannot
 * be reached from three DNS labels of at most 63 characters each.
 */
export const NAME_LIMITS = {
  iamRole: 64,
  dnsName: 253,
  /** One label of a DNS name (a Cloud Map service name). */
  dnsLabel: 63,
  /** SQS queue names: 1 to 80 characters. */
  sqsQueue: 80,
} as const;

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/**
 * The account's Fargate On-Demand vCPU quota per region, which every task of every environment in the account counts
 * against: Service Quotas, service code `fargate`, "Fargate On-Demand vCPU resource count", quota code L-3032A538.
 * The default value is **unverified**: a third-party dump of Service Quotas defaults lists 4000, and new accounts are
 * reported with much lower applied values (6, 8). Data, so that it can be changed in one place; the check warns
 * (MF703) when one environment alone needs more at the top of its scaling ranges. Find yours with
 * `aws service-quotas get-service-quota --service-code fargate --quota-code L-3032A538`.
 */
export const FARGATE_VCPU_QUOTA = {
  code: "L-3032A538",
  name: "Fargate On-Demand vCPU resource count",
  value: 4000,
  verified: false,
} as const;
