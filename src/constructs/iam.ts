import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { policyDocument, type Statement } from "./policy-document";

export interface TaskRolesProps {
  executionRoleName: string;
  taskRoleName: string;
  /** The account the tasks run in, for the confused-deputy condition on the task role's trust. */
  accountId: string;
  /** ECR repositories the task pulls from (the app's and, where the provider or a sidecar runs one from ECR, theirs); none for public images. */
  repositoryArns: string[];
  /** What ECS reads at task start and hands the app as secrets: the secrets' and parameters' ARNs, the KMS keys that encrypt them. */
  secrets?: { secretsManager: string[]; parameters: string[]; kmsKeys: string[] };
  logGroupArn: string;
  /** What the task needs beyond X-Ray: the provider's (App Mesh: its own virtual node), the dead-letter queue's. */
  taskStatements: Statement[];
  /** Whether a tracing collector in the task writes to X-Ray. */
  tracing: boolean;
}

const X_RAY_WRITE = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
];

const ecsTasksTrust = (condition?: Record<string, Record<string, string>>) =>
  policyDocument({
    Effect: "Allow",
    Principal: { Service: "ecs-tasks.amazonaws.com" },
    Action: "sts:AssumeRole",
    ...(condition && { Condition: condition }),
  });

/** One value or a list, as IAM takes either. */
const oneOrMany = (values: readonly string[]) => (values.length === 1 ? values[0]! : [...values]);

/**
 * What ECS does for the task with the execution role: pull its ECR images (ecr:GetAuthorizationToken takes no
 * resource, hence "*"), write its logs, and read its secrets at start: "secretsmanager:GetSecretValue",
 * "ssm:GetParameters", and "kms:Decrypt" only for a customer managed key (ECS guide, secrets-envvar-secrets-manager
 * and secrets-envvar-ssm-paramstore), each on exactly the resources the service names.
 */
function executionStatements(props: TaskRolesProps): Statement[] {
  const secrets = props.secrets;
  return [
    ...(props.repositoryArns.length > 0
      ? [
          { Sid: "EcrAuth", Effect: "Allow" as const, Action: "ecr:GetAuthorizationToken", Resource: "*" },
          {
            Sid: "EcrPull",
            Effect: "Allow" as const,
            Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            Resource: props.repositoryArns,
          },
        ]
      : []),
    { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${props.logGroupArn}:*` },
    ...(secrets && secrets.secretsManager.length > 0
      ? [{ Sid: "Secrets", Effect: "Allow" as const, Action: "secretsmanager:GetSecretValue", Resource: oneOrMany(secrets.secretsManager) }]
      : []),
    ...(secrets && secrets.parameters.length > 0
      ? [{ Sid: "Parameters", Effect: "Allow" as const, Action: "ssm:GetParameters", Resource: oneOrMany(secrets.parameters) }]
      : []),
    ...(secrets && secrets.kmsKeys.length > 0
      ? [{ Sid: "SecretsKeys", Effect: "Allow" as const, Action: "kms:Decrypt", Resource: oneOrMany(secrets.kmsKeys) }]
      : []),
  ];
}

/**
 * The two roles of one service's tasks. The execution role is ECS's: pull this service's images and write
 * its logs. The task role is the app's and its sidecars': send traces to X-Ray (whose write actions take no
 * resource), plus what the provider and the dead-letter queue need, each on its own resource only.
 */
export class TaskRoles extends Construct {
  readonly executionRole: IamRole;
  readonly taskRole: IamRole;
  readonly policies: IamRolePolicy[];

  constructor(scope: Construct, id: string, props: TaskRolesProps) {
    super(scope, id);
    this.executionRole = new IamRole(this, "execution-role", {
      name: props.executionRoleName,
      description: "ECS task execution: pull this service's images, write its logs",
      assumeRolePolicy: ecsTasksTrust(),
    });
    this.taskRole = new IamRole(this, "task-role", {
      name: props.taskRoleName,
      description: "Task: X-Ray traces, and the mesh and dead-letter queue access of this service only",
      assumeRolePolicy: ecsTasksTrust({ StringEquals: { "aws:SourceAccount": props.accountId } }),
    });
    const execution = new IamRolePolicy(this, "execution-policy", {
      name: "pull-images-write-logs",
      role: this.executionRole.id,
      policy: policyDocument(...executionStatements(props)),
    });
    // X-Ray's write actions take no resource (they act on the account's traces), hence "*".
    const statements: Statement[] = [
      ...props.taskStatements,
      ...(props.tracing ? [{ Sid: "XRayWrite", Effect: "Allow" as const, Action: X_RAY_WRITE, Resource: "*" }] : []),
    ];
    // IAM refuses a policy without statements: a task that needs nothing gets no policy.
    const task =
      statements.length > 0
        ? new IamRolePolicy(this, "task-policy", {
            name: "traces-mesh-dead-letters",
            role: this.taskRole.id,
            policy: policyDocument(...statements),
          })
        : undefined;
    this.policies = task ? [execution, task] : [execution];
  }
}
