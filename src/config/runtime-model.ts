/**
 * The resolved runtime of a service's container: its image, command, user, filesystem, architecture, secrets,
 * permissions, sidecars and logging (see runtime-schema.ts), and how these resolve from the parsed config.
 */
import { SECRETS_MANAGER_ARN } from "./runtime-schema";
import type { ServiceConfig } from "./schema";

export interface Secret {
  /** The variable the app reads it from. */
  name: string;
  /** ECS's valueFrom: the ARN as written. */
  valueFrom: string;
  /** What the execution role may read: the secret's ARN (without a JSON key or version) or the parameter's. */
  resource: string;
}

export interface Sidecar {
  name: string;
  image: string;
  cpu: number;
  memory: number;
  essential: boolean;
  command?: string[];
  entryPoint?: string[];
  environment: Record<string, string>;
  user: string;
  readonlyRootFilesystem: boolean;
  firelens?: "fluentbit" | "fluentd";
}

export interface Runtime {
  /** An image given by reference; undefined: the environment's own ECR repository at the service's imageTag. */
  image?: string;
  command?: string[];
  entryPoint?: string[];
  user: string;
  readonlyRootFilesystem: boolean;
  /** Each path a task volume the app may write. */
  writablePaths: string[];
  stopTimeoutSeconds?: number;
  architecture: "X86_64" | "ARM64";
  secrets: Secret[];
  secretsKmsKeys: string[];
  permissions: { actions: string[]; resources: string[] }[];
  sidecars: Sidecar[];
  logging: { driver: "awslogs" } | { driver: "awsfirelens"; options: Record<string, string> };
}

/** FireLens requires its log router to run as root: RegisterTaskDefinition refuses another user for it. */
export const FIRELENS_USER = "0";
/** The user a sidecar runs as unless it says otherwise: the app's default non-root one. */
export const DEFAULT_SIDECAR_USER = "1000";

/**
 * The IAM resource a secret's reference names. A Secrets Manager ARN may carry `:json-key:stage:id` after the
 * secret's own ARN, which IAM does not take; a secret's full ARN ends in `-` and six characters that Secrets
 * Manager appends, and without them IAM needs the `-??????` wildcard, which AWS documents for this ("Secrets
 * Manager appends six random characters to secret names as part of their ARN, so you can use this wildcard").
 */
export function secretResource(valueFrom: string): string {
  if (!SECRETS_MANAGER_ARN.test(valueFrom)) return valueFrom; // an SSM parameter: its ARN
  const [arn] = /^arn:[^:]+:secretsmanager:[^:]+:[^:]+:secret:[^:]+/.exec(valueFrom)!;
  return /-[A-Za-z0-9]{6}$/.test(arn) ? arn : `${arn}-??????`;
}

export function resolveRuntime(s: ServiceConfig): Runtime {
  const sidecars = Object.entries(s.sidecars).map(
    ([name, c]): Sidecar => ({
      name,
      image: c.image,
      cpu: c.cpu,
      memory: c.memory,
      essential: c.essential,
      ...(c.command && { command: c.command }),
      ...(c.entryPoint && { entryPoint: c.entryPoint }),
      environment: c.environment,
      user: c.user ?? (c.firelens ? FIRELENS_USER : DEFAULT_SIDECAR_USER),
      readonlyRootFilesystem: c.readonlyRootFilesystem,
      ...(c.firelens && { firelens: c.firelens }),
    }),
  );
  return {
    ...(s.image && { image: s.image }),
    ...(s.command && { command: s.command }),
    ...(s.entryPoint && { entryPoint: s.entryPoint }),
    user: s.user,
    readonlyRootFilesystem: s.readonlyRootFilesystem,
    writablePaths: [...new Set(s.writablePaths)],
    ...(s.stopTimeout !== undefined && { stopTimeoutSeconds: Math.ceil(s.stopTimeout / 1000) }),
    architecture: s.architecture === "arm64" ? "ARM64" : "X86_64",
    secrets: Object.entries(s.secrets).map(([name, valueFrom]) => ({ name, valueFrom, resource: secretResource(valueFrom) })),
    secretsKmsKeys: s.secretsKmsKeys,
    permissions: s.permissions,
    sidecars,
    logging: s.logging?.driver === "awsfirelens" ? { driver: "awsfirelens", options: s.logging.options } : { driver: "awslogs" },
  };
}

/** What the task's own sidecars take of it. */
export const sidecarsSize = (s: Pick<ServiceConfig, "sidecars">) =>
  Object.values(s.sidecars).reduce((n, c) => ({ cpu: n.cpu + c.cpu, memory: n.memory + c.memory }), { cpu: 0, memory: 0 });
