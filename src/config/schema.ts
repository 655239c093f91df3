/**
 * The environment file's schema: shapes, enums, ranges and defaults. Checks that span several fields
 * (backends exist, Fargate sizes, name lengths, retry budget) live in checks.ts.
 */
import { z } from "zod";
import { DURATION_HINT, DURATION_PATTERN, parseDuration } from "./duration";
import { APPMESH, FARGATE_CPU_VALUES, LOG_RETENTION_DAYS, RESERVED_PORTS } from "./limits";

/** A DNS label that is also a valid ECR path component: no leading, trailing or doubled hyphen. */
const DNS_LABEL = /^(?=.{1,63}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const DNS_LABEL_HINT =
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

const retention = z.int().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
  error: `must be a CloudWatch Logs retention: one of ${LOG_RETENTION_DAYS.join(", ")}`,
});

export const HealthCheckSchema = z.strictObject({
  interval: durationBetween(APPMESH.healthCheck.intervalMs.min, APPMESH.healthCheck.intervalMs.max, "5s and 300s").prefault("5s"),
  timeout: durationBetween(APPMESH.healthCheck.timeoutMs.min, APPMESH.healthCheck.timeoutMs.max, "2s and 60s").prefault("2s"),
  healthyThreshold: z.int().min(APPMESH.healthCheck.thresholdMin).max(APPMESH.healthCheck.thresholdMax).default(2),
  unhealthyThreshold: z.int().min(APPMESH.healthCheck.thresholdMin).max(APPMESH.healthCheck.thresholdMax).default(2),
});

export const RetryPolicySchema = z
  .strictObject({
    maxRetries: z.int().min(0).max(100),
    perRetryTimeout: durationBetween(1, 3_600_000, "1ms and 60m"),
    httpRetryEvents: z.array(z.enum(APPMESH.httpRetryEvents)).default([]),
    tcpRetryEvents: z.array(z.enum(APPMESH.tcpRetryEvents)).default([]),
  })
  .refine((r) => r.httpRetryEvents.length + r.tcpRetryEvents.length > 0, {
    error: `needs at least one event in httpRetryEvents (${APPMESH.httpRetryEvents.join(", ")}) or tcpRetryEvents (${APPMESH.tcpRetryEvents.join(", ")})`,
  });

export const RouteSchema = z.strictObject({
  prefix: z.string().startsWith("/", { error: 'must start with "/"' }).default("/"),
  priority: z.int().min(APPMESH.routePriority.min).max(APPMESH.routePriority.max).default(1),
  /** Overall per-request timeout of the route; it bounds all retries together. */
  timeout: durationBetween(1, 3_600_000, "1ms and 60m")
    .prefault("15s")
    .describe("Overall per-request timeout of the route; it bounds all retries together."),
  retryPolicy: RetryPolicySchema.optional(),
});

export const DeploymentSchema = z.strictObject({
  minimumHealthyPercent: z.int().min(0).max(100).default(100),
  maximumPercent: z.int().min(100).max(1000).default(200),
});

const SidecarSize = (cpu: number, memory: number) => ({
  cpu: z.int().min(0).max(16384).default(cpu),
  memory: z.int().min(6).max(122880).default(memory),
});

export const ServiceSchema = z.strictObject({
  port: port.describe("Port the app listens on (APP_PORT); Envoy's listener and the security group use it too."),
  protocol: z.enum(APPMESH.protocols).default("http").describe("Listener and route protocol."),
  healthCheckPath: z.string().startsWith("/", { error: 'must start with "/"' }).default("/health-check").describe("HTTP path answering 200 when the app is healthy."),
  healthCheck: HealthCheckSchema.prefault({}).describe("App Mesh listener health check."),
  /** Command the task definition runs to check the app container; defaults to a node one-liner. */
  healthCheckCommand: z.array(z.string()).min(2).optional(),
  cpu: z.literal(FARGATE_CPU_VALUES as [number, ...number[]], {
    error: `must be a Fargate CPU size: one of ${FARGATE_CPU_VALUES.join(", ")}`,
  }).describe("Fargate task CPU units; the Envoy and X-Ray sidecars' shares come out of it."),
  memory: z.int().positive().describe("Fargate task memory (MiB); must pair with cpu as Fargate allows."),
  desiredCount: z.int().min(0).max(1000).default(1).describe("Number of tasks."),
  /** Listener per-request timeout. */
  timeout: durationBetween(1, 3_600_000, "1ms and 60m").prefault("15s").describe("Listener per-request timeout, e.g. 15s."),
  backends: z.array(ServiceName).default([]).describe("Services of this file this one calls; each gets <NAME>_URL in the app's environment."),
  route: RouteSchema.prefault({}).describe("The App Mesh route to this service: prefix, timeout, retry policy."),
  imageTag: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "must be a Docker tag: letters, digits, _ . -, at most 128" })
    .default("v1")
    .describe("Image tag in the service's ECR repository (tags are immutable: a new tag per release)."),
  environment: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "must be an environment variable name" }), z.string())
    .default({}),
  logRetentionDays: retention.optional().describe("Overrides the environment's logRetentionDays."),
  deployment: DeploymentSchema.prefault({}),
});

export const EnvironmentSchema = z.strictObject({
  environment: label("an environment name").describe("Environment name; must equal the file name."),
  project: label("a project name").describe("Project name; every resource name starts with <environment>-<project>."),
  region: z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, { error: 'must be an AWS region such as "eu-west-1"' }),
  internalDomain: z
    .string()
    .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
      error: "must be a DNS name: dot-separated labels of lowercase letters, digits and hyphens",
    })
    .describe("Private DNS domain; the Cloud Map namespace is <environment>.<internalDomain>."),
  network: z.strictObject({
    vpcId: z.string().regex(/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/, { error: 'must be a VPC id such as "vpc-0123456789abcdef0"' }),
    subnetIds: z
      .array(
        z.string().regex(/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/, {
          error: 'must be a subnet id such as "subnet-0123456789abcdef0"',
        }),
      )
      .min(1),
  }),
  state: z
    .strictObject({
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name" }),
      key: z.string().min(1),
      region: z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, { error: 'must be an AWS region such as "eu-west-1"' }),
    })
    .optional(),
  mesh: z.strictObject({
    provider: z.literal("appmesh", { error: 'must be "appmesh" (ECS Service Connect is on the roadmap)' }),
    egress: z.enum(APPMESH.egressFilters).default("DROP_ALL"),
    envoy: z
      .strictObject({
        /** Defaults to AWS's Envoy image in the environment's own region (see defaultEnvoyImage). */
        image: z.string().min(1).optional(),
        ...SidecarSize(128, 256),
      })
      .prefault({}),
    xray: z
      .strictObject({
        image: z.string().min(1).default("public.ecr.aws/xray/aws-xray-daemon:3.3.14"),
        ...SidecarSize(32, 128),
      })
      .prefault({}),
  }),
  cluster: z
    .strictObject({
      containerInsights: z.enum(["enabled", "enhanced", "disabled"]).default("enabled"),
      /** Share of tasks on FARGATE_SPOT (weight next to FARGATE's 1); 0 keeps everything on FARGATE. */
      fargateSpotWeight: z.int().min(0).max(1000).default(0),
    })
    .prefault({}),
  logRetentionDays: retention.default(30).describe("CloudWatch Logs retention of every service's log group."),
  tags: z
    .record(z.string().min(1).max(128), z.string().max(256))
    .default({})
    .describe("Tags on every resource, beside Environment, Project and ManagedBy."),
  services: z.record(ServiceName, ServiceSchema).refine((s) => Object.keys(s).length > 0, {
    error: "must declare at least one service",
  }),
});

/** The parsed, defaulted config of one environment (durations in milliseconds). */
export type EnvironmentConfig = z.output<typeof EnvironmentSchema>;
export type ServiceConfig = z.output<typeof ServiceSchema>;
