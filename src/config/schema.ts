/**
 * The environment file's schema: shapes, enums, ranges and defaults, with a description of every field (the
 * editor shows it on hover: what the field does, its unit and its default). Checks that span several fields
 * (backends exist, Fargate sizes, name lengths, timeouts along a request's path) live in checks/. The building
 * blocks are in schema-primitives.ts, routes, releases and listeners in traffic-schema.ts.
 */
import { z } from "zod";
import { FARGATE_CPU_VALUES, HEALTH_CHECK, PROTOCOLS, TRACING_COLLECTORS, TRACING_DEFAULTS } from "./limits";
import { AlarmsSchema, DashboardSchema, ScalingSchema } from "./operate-schema";
import { runtimeFields, variableName } from "./runtime-schema";
import { DNS_LABEL, DNS_LABEL_HINT, durationBetween, image, label, port, region, retention, ServiceName } from "./schema-primitives";
import {
  ClientCertificateSchema,
  ConnectionPoolSchema,
  DeploymentSchema,
  IngressSchema,
  NamedRouteSchema,
  OutlierDetectionSchema,
  RouteSchema,
  TlsSchema,
  VersionSchema,
} from "./traffic-schema";
import { WebIngressSchema } from "./web-ingress-schema";

export { DEPLOYMENT_STRATEGIES } from "./traffic-schema";
export { DNS_LABEL, DNS_LABEL_HINT };

/** The mesh providers, by id: the one place outside src/providers/ where their ids are written. */
const PROVIDER_IDS = ["service-connect", "appmesh", "vpc-lattice"] as const;

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
const tagValue = z
  .string()
  .max(256)
  .regex(TAG_TEXT, { error: `a tag value may hold ${TAG_TEXT_HINT}` });

const threshold = (outcomes: string, state: string) =>
  z
    .int()
    .min(HEALTH_CHECK.thresholdMin)
    .max(HEALTH_CHECK.thresholdMax)
    .default(2)
    .describe(`Consecutive ${outcomes} before a task counts as ${state}, 2 to 10. Default 2.`);

export const HealthCheckSchema = z.strictObject({
  interval: durationBetween(HEALTH_CHECK.intervalMs.min, HEALTH_CHECK.intervalMs.max, "5s and 300s")
    .prefault("5s")
    .describe("Time between two health checks, 5s to 300s. Default 5s."),
  timeout: durationBetween(HEALTH_CHECK.timeoutMs.min, HEALTH_CHECK.timeoutMs.max, "2s and 60s")
    .prefault("2s")
    .describe("How long one health check may take, 2s to 60s. Default 2s."),
  healthyThreshold: threshold("successes", "healthy"),
  unhealthyThreshold: threshold("failures", "unhealthy"),
  startPeriod: durationBetween(0, 300_000, "0s and 300s")
    .prefault("10s")
    .describe(
      "Time after the container starts during which failed container health checks do not count, 0s to 300s (ECS startPeriod). Default 10s.",
    ),
});

const SidecarSize = (what: string, cpu: number, memory: number) => ({
  cpu: z.int().min(0).max(16384).default(cpu).describe(`CPU units reserved for ${what} in every task. Default ${cpu}.`),
  memory: z.int().min(6).max(122880).default(memory).describe(`Memory (MiB) reserved for ${what} in every task. Default ${memory}.`),
});

const HEALTH_CHECK_COMMAND_HINT =
  'must start with "CMD" (run the command) or "CMD-SHELL" (run it with the container\'s shell), as ECS requires';

/** Warnings a file accepts, by rule id, each with the reason (see acknowledgements.ts). */
const acknowledgements = (scope: string) =>
  z
    .record(
      z.string().regex(/^MF\d{3}$/, { error: 'must be a rule id such as "MF305", as printed at the end of a warning' }),
      z.string().trim().min(1, { error: "must give the reason the warning is accepted" }),
    )
    .optional()
    .describe(
      `Warnings accepted for ${scope}, by rule id (printed with each warning, e.g. MF305), each with the reason: the warning is no longer printed, and the review shows the reason. Errors cannot be acknowledged.`,
    );

/** A tag in an ECR repository: what `docker push` takes. */
const imageTag = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "must be a Docker tag: letters, digits, _ . -, at most 128" });

export const ServiceSchema = z.strictObject({
  port: port.describe("Port the app listens on (APP_PORT); the proxy's listener and the security group use it too."),
  protocol: z
    .enum(PROTOCOLS)
    .default("http")
    .describe(
      "What the service speaks: http, http2, grpc or tcp (a database, a cache). It decides the proxy's handling, the routes and health checks; Service Connect cannot change it later without replacing the ECS service. Default http.",
    ),
  healthCheckPath: z
    .string()
    .startsWith("/", { error: 'must start with "/"' })
    .default("/health-check")
    .describe('HTTP path that answers 200 when the app is healthy. Default "/health-check".'),
  healthCheck: HealthCheckSchema.prefault({}).describe("Health check of the service's listener."),
  healthCheckCommand: z
    .union([
      z
        .array(z.string())
        .min(2)
        .refine((c) => c[0] === "CMD" || c[0] === "CMD-SHELL", { error: HEALTH_CHECK_COMMAND_HINT }),
      z.literal("none"),
    ])
    .optional()
    .describe(
      'Container health check command, e.g. ["CMD-SHELL", "curl -f http://localhost:3000/health"], or none. Default: for meshform\'s own images (no image given), a node one-liner requesting healthCheckPath; for other images, none (say what the image can run).',
    ),
  cpu: z
    .literal(FARGATE_CPU_VALUES as [number, ...number[]], {
      error: `must be a Fargate CPU size: one of ${FARGATE_CPU_VALUES.join(", ")}`,
    })
    .describe("Fargate task CPU units (1024 = 1 vCPU); the sidecars' shares come out of it."),
  memory: z.int().positive().describe("Fargate task memory (MiB); must pair with cpu as Fargate allows."),
  desiredCount: z
    .int()
    .min(0)
    .max(1000)
    .default(1)
    .describe("Number of tasks; under scaling, the starting count (scaling then owns it). Default 1."),
  timeout: durationBetween(1, 3_600_000, "1ms and 60m")
    .prefault("15s")
    .describe(
      "Time limit of a request to this service at its listener, e.g. 15s; bounds everything it does for that request. App Mesh and Service Connect (VPC Lattice has no request timeout). Default 15s.",
    ),
  backends: z
    .array(ServiceName)
    .default([])
    .describe("Services of this file this one calls; each gets <NAME>_URL in the app's environment. Default none."),
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
    .describe(
      "App Mesh and VPC Lattice: several routes, each with a match, versions and weights (instead of route). Under VPC Lattice each is a listener rule, kept for as long as it is written.",
    ),
  versions: z
    .record(label("a version name"), VersionSchema)
    .refine((v) => Object.keys(v).length >= 1 && Object.keys(v).length <= 10, {
      error: "must declare 1 to 10 versions (App Mesh routes send to at most 10 targets)",
    })
    .optional()
    .describe(
      "App Mesh and VPC Lattice: versions running side by side, each with its own image tag, count, task definition and ECS service (and virtual node, or target group); routes split traffic between them.",
    ),
  imageTag: imageTag
    .optional()
    .describe(
      "Image tag in the service's ECR repository (tags are immutable: a new tag per release), when image is not given. Default: the environment's imageTag; without either, the service runs no tasks (the first apply creates its repository: push, then set imageTag).",
    ),
  environment: z
    .record(variableName, z.string())
    .default({})
    .describe(
      "Extra environment variables of the app container, as NAME: value, in plain text in the task definition: secrets belong in secrets. Names meshform sets itself are refused.",
    ),
  ...runtimeFields,
  logRetentionDays: retention.optional().describe("Days the service's logs are kept; overrides the environment's logRetentionDays."),
  deployment: DeploymentSchema.prefault({}).describe("How ECS replaces tasks on a deployment."),
  outlierDetection: OutlierDetectionSchema.optional().describe(
    "App Mesh only: callers' Envoys take a task out of load balancing after consecutive 5xx answers (circuit breaking). Default none.",
  ),
  connectionPool: ConnectionPoolSchema.optional().describe(
    "App Mesh only: how much each caller's Envoy sends to this service at once. Default Envoy's limits.",
  ),
  tls: TlsSchema.optional().describe(
    "Encrypt traffic to this service: its listener terminates TLS and its callers verify it. App Mesh and Service Connect (under VPC Lattice every call is HTTPS already). Default plain text inside the mesh.",
  ),
  clientCertificate: ClientCertificateSchema.optional().describe(
    "App Mesh only: the certificate this service's Envoy presents to backends that require mutual TLS (tls.clientValidation).",
  ),
  ingress: IngressSchema.optional().describe(
    "A way in from outside the services' security group: a Network Load Balancer in front of this service. Default none.",
  ),
  deadLetterQueue: z
    .boolean()
    .default(false)
    .describe(
      "Let the app send what it cannot deliver to the environment's dead-letter queue (DEAD_LETTER_QUEUE_URL; sqs:SendMessage on that queue only). Default false.",
    ),
  scaling: ScalingSchema.optional(),
  alarms: AlarmsSchema.prefault({}),
  acknowledge: acknowledgements("this service"),
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
      publicSubnetIds: z
        .array(z.string().regex(/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/, { error: 'must be a subnet id such as "subnet-0123456789abcdef0"' }))
        .min(1)
        .optional()
        .describe(
          "Public subnets (with a route to an internet gateway), where internet-facing load balancers are placed. Required by an internet-facing ingress.",
        ),
    })
    .describe("Where the tasks run."),
  state: z
    .strictObject({
      bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name" })
        .describe("S3 bucket holding the state."),
      key: z.string().min(1).describe("Object key of this environment's state."),
      region: region.describe("Region of the bucket."),
    })
    .optional()
    .describe("Terraform state in S3, encrypted, with S3-native locking (Terraform >= 1.10). Default: local state beside the repository."),
  mesh: z
    .strictObject({
      provider: z
        .enum(PROVIDER_IDS)
        .describe(
          "How services reach each other: service-connect (ECS Service Connect), vpc-lattice (Amazon VPC Lattice: persistent weighted and header routes, callers authorized by IAM) or appmesh (AWS App Mesh, end of life since 2026-09-30).",
        ),
      movedFrom: z
        .enum(PROVIDER_IDS)
        .optional()
        .describe(
          "The provider this environment's stack was applied with before: Terraform forgets what only that provider made and AWS no longer serves (App Mesh's resources) instead of calling its API to delete them. Remove it once applied.",
        ),
      egress: z
        .enum(["DROP_ALL", "ALLOW_ALL"])
        .default("DROP_ALL")
        .describe("App Mesh only: DROP_ALL lets tasks reach only mesh services; ALLOW_ALL lets them reach anything. Default DROP_ALL."),
      ipPreference: z
        .enum(["IPv4_ONLY", "IPv4_PREFERRED", "IPv6_ONLY", "IPv6_PREFERRED"])
        .optional()
        .describe(
          "App Mesh only: which addresses Envoy uses for the tasks it discovers: IPv4_ONLY, IPv4_PREFERRED, IPv6_ONLY or IPv6_PREFERRED. Default App Mesh's (IPv4).",
        ),
      envoy: z
        .strictObject({
          image: image.optional().describe("Envoy image. Default: AWS's App Mesh Envoy in the environment's own region."),
          ...SidecarSize("the Envoy proxy", 128, 256),
        })
        .prefault({})
        .describe("App Mesh only: the Envoy proxy sidecar of every task."),
      proxy: z
        // AWS: "We recommend adding 256 CPU units and at least 64 MiB of memory to your task CPU and memory for the
        // Service Connect proxy container" (512 CPU units above about 500 requests per second). ECS developer guide,
        // Service Connect proxy.
        .strictObject(SidecarSize("the Service Connect proxy ECS adds to it", 256, 64))
        .prefault({})
        .describe(
          "Service Connect only: the share of every task left to the proxy ECS injects. Defaults follow AWS: 256 CPU units (512 above about 500 requests/s) and 64 MiB.",
        ),
      xray: z
        .unknown()
        .optional()
        .describe("Moved: the tracing sidecar is set by tracing (tracing.collector: xray-daemon for the X-Ray daemon)."),
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
        .describe(
          "Weight of FARGATE_SPOT beside FARGATE's 1 (the first task always runs on FARGATE); 0 keeps every task on FARGATE. Default 0.",
        ),
    })
    .prefault({})
    .describe("The ECS cluster."),
  tracing: z
    .strictObject({
      collector: z
        .enum(TRACING_COLLECTORS)
        .default("adot")
        .describe(
          "The sidecar that takes the app's and the proxy's traces to AWS X-Ray: adot (AWS Distro for OpenTelemetry collector: X-Ray's UDP protocol on 2000 and OTLP on 4317/4318), xray-daemon (the X-Ray daemon, end of support on 2027-02-25), or none. Default adot.",
        ),
      image: image
        .optional()
        .describe(`Its image. Default ${TRACING_DEFAULTS.adot.image} for adot, ${TRACING_DEFAULTS["xray-daemon"].image} for xray-daemon.`),
      cpu: z
        .int()
        .min(0)
        .max(16384)
        .optional()
        .describe(
          `CPU units reserved for it in every task. Default ${TRACING_DEFAULTS.adot.cpu} (adot), ${TRACING_DEFAULTS["xray-daemon"].cpu} (xray-daemon).`,
        ),
      memory: z
        .int()
        .min(6)
        .max(122880)
        .optional()
        .describe(
          `Memory (MiB) reserved for it in every task. Default ${TRACING_DEFAULTS.adot.memory} (adot), ${TRACING_DEFAULTS["xray-daemon"].memory} (xray-daemon).`,
        ),
    })
    .prefault({})
    .describe("Tracing: the collector beside every app that sends traces to AWS X-Ray."),
  logRetentionDays: retention.default(30).describe("Days every service's logs are kept (a CloudWatch Logs retention value). Default 30."),
  alarmTopicArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, {
      error: 'must be an SNS topic ARN such as "arn:aws:sns:eu-west-1:123456789012:alerts"',
    })
    .optional()
    .describe(
      "SNS topic every alarm of the environment notifies (the services' and the dead-letter queue's). Default: meshform creates one, <environment>-<project>-alarms (its ARN is an output; subscribe to it).",
    ),
  dashboard: DashboardSchema,
  tags: z
    .record(tagKey, tagValue)
    .default({})
    .describe("Tags on every resource, beside Environment, Project and ManagedBy, which meshform sets. Default none."),
  externalServices: z
    .record(
      ServiceName,
      z.strictObject({
        host: z
          .string()
          .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, {
            error: 'must be a DNS name such as "api.example.com"',
          })
          .describe("DNS name of the service outside the mesh, e.g. api.example.com."),
        port: port.describe("Port it listens on; 443 means the app speaks HTTPS to it."),
      }),
    )
    .default({})
    .describe(
      "Services outside the mesh that services call (externalBackends): under App Mesh's DROP_ALL, Envoy reaches only these. Default none.",
    ),
  services: z
    .record(ServiceName, ServiceSchema)
    .refine((s) => Object.keys(s).length > 0, {
      error: "must declare at least one service",
    })
    .describe("The services of this environment, by name (a DNS label)."),
  imageTag: imageTag
    .optional()
    .describe(
      "The image tag every service from the environment's own repository runs unless it names its own, e.g. one release of them all. Default none: a service without a tag runs no tasks until it has one.",
    ),
  ingress: WebIngressSchema.optional().describe(
    "The environment's HTTP(S) way in: an Application Load Balancer sending requests to services by host and path. Default none (a service's own ingress is a Network Load Balancer, for TCP).",
  ),
  acknowledge: acknowledgements("the whole environment"),
});

/** The parsed, defaulted config of one environment (durations in milliseconds). */
export type EnvironmentConfig = z.output<typeof EnvironmentSchema>;
export type ServiceConfig = z.output<typeof ServiceSchema>;
