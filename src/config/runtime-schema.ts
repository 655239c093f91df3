/**
 * How a service's container runs, for other people's images as well as meshform's own: where the image comes
 * from, its command, user and filesystem, its architecture, secrets and permissions, the containers beside it and
 * where its logs go. Secure by default (non-root, read-only root filesystem, no secrets in plain variables, no
 * permission the service did not ask for); every opt-out is written, validated and named by a warning.
 * Facts: ECS developer guide, task definition parameters; secrets (secrets-envvar-secrets-manager.html,
 * secrets-envvar-ssm-paramstore.html); FireLens (firelens-taskdef.html).
 */
import { z } from "zod";
import { durationBetween, image, label } from "./schema-primitives";

/** An environment variable's name, as POSIX shells take it. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const variableName = z.string().regex(VARIABLE_NAME, { error: "must be an environment variable name" });

/** An absolute path inside a container. */
export const containerPath = z
  .string()
  .regex(/^\/[^\0]{0,254}$/, { error: 'must be an absolute path inside the container, such as "/app/tmp"' });

/**
 * A secret's reference (ECS `secrets[].valueFrom`): the full ARN of a Secrets Manager secret, optionally with
 * `:json-key:version-stage:version-id` (colons kept for defaults; Fargate platform 1.4.0 or later), or the full
 * ARN of an SSM Parameter Store parameter. ("The supported values are either the full ARN of the AWS Secrets
 * Manager secret or the full ARN of the parameter in the SSM Parameter Store": ECS API, Secret.valueFrom.)
 */
export const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(:[^:]*:[^:]*:[^:]*)?$/;
export const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+$/;
export const secretReference = z.string().refine((v) => SECRETS_MANAGER_ARN.test(v) || SSM_PARAMETER_ARN.test(v), {
  error:
    "must be the full ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf, optionally :<json-key>:<version-stage>:<version-id>) or of an SSM parameter (arn:aws:ssm:<region>:<account>:parameter/<name>)",
});

/** An IAM action: `service:Action`, wildcards allowed in the action's name (IAM policy grammar). */
/** ("*" alone passes here so that the check can say why it is refused.) */
const IAM_ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/;

export const PermissionSchema = z.strictObject({
  actions: z
    .array(
      z
        .string()
        .regex(IAM_ACTION, { error: 'must be an IAM action such as "s3:GetObject" (service:Action, wildcards allowed in the action)' }),
    )
    .min(1)
    .describe("What the app may do, e.g. [s3:GetObject]."),
  resources: z
    .array(z.string().min(1))
    .min(1)
    .describe(
      'On what, by ARN, e.g. ["arn:aws:s3:::app-assets/*"]. "*" only for actions that take no resource (read-only List and Describe calls).',
    ),
});

export const LoggingSchema = z.strictObject({
  driver: z
    .enum(["awslogs", "awsfirelens"])
    .describe("awslogs: the service's log group (the default); awsfirelens: through the FireLens log router among sidecars."),
  options: z
    .record(z.string().min(1), z.string())
    .default({})
    .describe(
      "The log driver's options; under awsfirelens, the output plugin's, e.g. { Name: cloudwatch_logs } (meshform fills in region, log_group_name and log_stream_prefix for the service's own log group unless given).",
    ),
});

export const SidecarSchema = z.strictObject({
  image: image.describe("The sidecar's image, by tag or digest. Pin a version: a moving tag changes what runs under a running service."),
  cpu: z.int().min(0).max(16384).default(0).describe("CPU units reserved for it, out of the task's. Default 0 (shares what is free)."),
  memory: z.int().min(6).max(122880).describe("Memory (MiB) reserved for it, out of the task's (ECS memoryReservation)."),
  essential: z.boolean().default(false).describe("Whether the task stops when this container stops. Default false."),
  command: z.array(z.string()).min(1).optional().describe("Its command (ECS command)."),
  entryPoint: z.array(z.string()).min(1).optional().describe("Its entry point (ECS entryPoint)."),
  environment: z.record(variableName, z.string()).default({}).describe("Its environment variables. Default none."),
  user: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/, {
      error: 'must be a user as ECS takes it: uid, uid:gid, user or user:group, e.g. "1000"',
    })
    .optional()
    .describe('The user it runs as. Default "1000" (non-root); a FireLens log router runs as "0", which FireLens requires.'),
  readonlyRootFilesystem: z.boolean().default(true).describe("A read-only root filesystem. Default true."),
  firelens: z
    .enum(["fluentbit", "fluentd"])
    .optional()
    .describe("Makes this container the task's FireLens log router (logging.driver: awsfirelens sends the app's logs through it)."),
});

/** The runtime fields of a service, spread into ServiceSchema. */
export const runtimeFields = {
  image: image
    .optional()
    .describe(
      "The app's image, from any registry, by tag or @sha256 digest, e.g. docker.io/library/redis:7.4. Default: the environment's own ECR repository (<env>-<project>/<service>) at imageTag.",
    ),
  command: z
    .array(z.string())
    .min(1)
    .optional()
    .describe("The app's command (ECS command), e.g. [bundle, exec, puma]. Default: the image's."),
  entryPoint: z.array(z.string()).min(1).optional().describe("The app's entry point (ECS entryPoint). Default: the image's."),
  user: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/, {
      error: 'must be a user as ECS takes it: uid, uid:gid, user or user:group, e.g. "1001"',
    })
    .default("1000")
    .describe(
      'The user the app runs as: uid, uid:gid, user or user:group. Default "1000" (non-root); root ("0") is allowed with a warning.',
    ),
  readonlyRootFilesystem: z
    .boolean()
    .default(true)
    .describe(
      "Run the app on a read-only root filesystem. Default true; false is allowed with a warning (use writablePaths instead where the app writes to known places).",
    ),
  writablePaths: z
    .array(containerPath)
    .default(["/tmp"])
    .describe(
      'Paths the app writes to, each a task volume. ECS makes a volume root-owned with mode 0755 unless the image declares the path a VOLUME, whose owner it copies: declare each VOLUME in the image, owned by the app\'s user. Default ["/tmp"].',
    ),
  stopTimeout: durationBetween(2_000, 120_000, "2s and 120s")
    .optional()
    .describe("Time the app has to exit after SIGTERM before it is killed, 2s to 120s on Fargate. Default ECS's 30s."),
  architecture: z
    .enum(["x86_64", "arm64"])
    .default("x86_64")
    .describe("CPU architecture of the task: x86_64 or arm64 (Graviton). Default x86_64."),
  secrets: z
    .record(variableName, secretReference)
    .default({})
    .describe(
      "Secrets as environment variables, by name: the full ARN of a Secrets Manager secret (optionally :json-key:version-stage:version-id) or an SSM parameter. ECS reads them at task start with the execution role, which may read exactly these.",
    ),
  secretsKmsKeys: z
    .array(z.string().regex(KMS_KEY_ARN, { error: "must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/<id>" }))
    .default([])
    .describe(
      "Customer managed KMS keys that encrypt the secrets (the execution role may decrypt with these). Default none: AWS managed keys need no permission.",
    ),
  permissions: z
    .array(PermissionSchema)
    .default([])
    .describe(
      'What the app itself may call (the task role), e.g. [{ actions: [s3:GetObject], resources: ["arn:aws:s3:::app-assets/*"] }]. Default nothing.',
    ),
  sidecars: z
    .record(label("a sidecar name"), SidecarSchema)
    .default({})
    .describe(
      "Containers beside the app in every task, by name: a log router (firelens), an agent. Their cpu and memory come out of the task's.",
    ),
  logging: LoggingSchema.optional().describe("Where the app's logs go. Default: awslogs to the service's log group."),
};
