/**
 * One service of an environment, built into a handle: its image repository, log group, roles, way in, and
 * per version a task definition and an ECS service, with what the provider adds. Add-ons (stacks/add-ons/)
 * receive the handles: what a service is in Terraform, for scaling, alarms and dashboards to hang on.
 */
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { EcrRepository as AwsEcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import type { EcsService as AwsEcsService } from "@cdktf/provider-aws/lib/ecs-service";
import type { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import type { TerraformStack } from "cdktf";
import { AWAITING_IMAGE_TAG, asVersion, type ResolvedService, type ResolvedVersion } from "../src/config/model";
import { ownRollbackAlarms, scalingRange } from "../src/config/operate-model";
import { taskContainers } from "../src/constructs/container-definitions";
import { EcrRepository, ecrRepositoryArnOf } from "../src/constructs/ecr-repository";
import { EcsService } from "../src/constructs/ecs-service";
import { HeldValue } from "../src/constructs/held-value";
import { TaskRoles } from "../src/constructs/iam";
import { Ingress } from "../src/constructs/ingress";
import { LogGroup } from "../src/constructs/log-group";
import type { Statement } from "../src/constructs/policy-document";
import { ServiceSecurityGroup } from "../src/constructs/security-group";
import { TaskDefinition } from "../src/constructs/task-definition";
import type { ServicePieces } from "../src/providers/provider";
import type { SharedParts } from "./shared";

export interface ServiceHandle {
  service: ResolvedService;
  /** The environment's own image repository (none for a service whose image lives elsewhere). */
  repository?: AwsEcrRepository;
  logGroup: CloudwatchLogGroup;
  roles: TaskRoles;
  ingress?: Ingress;
  /** One per version, in the order of `service.versions` (a service without versions has one). */
  versions: { version: ResolvedVersion; taskDefinition: EcsTaskDefinition; ecsService: AwsEcsService }[];
  /** What the provider made for it. */
  pieces: ServicePieces;
}

/** What the app itself may call (the task role): its permissions as written, one statement each. */
function appPermissions(s: ResolvedService): Statement[] {
  return s.runtime.permissions.map((p, i) => ({
    Sid: `App${i + 1}`,
    Effect: "Allow",
    Action: p.actions.length === 1 ? p.actions[0]! : p.actions,
    Resource: p.resources.length === 1 ? p.resources[0]! : p.resources,
  }));
}

/**
 * The FireLens router's writes to the service's own log group (its cloudwatch_logs output writes with the task
 * role: logs:CreateLogStream, logs:PutLogEvents, and logs:DescribeLogStreams for the older cloudwatch plugin).
 */
function firelensLogs(s: ResolvedService, logGroupArn: string): Statement[] {
  const { logging } = s.runtime;
  if (
    logging.driver !== "awsfirelens" ||
    (logging.options.Name ?? "cloudwatch_logs") !== "cloudwatch_logs" ||
    logging.options.log_group_name
  )
    return [];
  return [
    {
      Sid: "FireLensLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: `${logGroupArn}:*`,
    },
  ];
}

/** Services with each one after its backends (a cycle is broken where it closes), else in file order. */
export function inDependencyOrder(services: readonly ResolvedService[]): ResolvedService[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const out: ResolvedService[] = [];
  const visit = (s: ResolvedService) => {
    if (placed.has(s.name) || visiting.has(s.name)) return;
    visiting.add(s.name);
    for (const b of s.backends) visit(byName.get(b.service)!);
    visiting.delete(s.name);
    placed.add(s.name);
    out.push(s);
  };
  services.forEach(visit);
  return out;
}

/** Builds `s` into `stack`; `built` holds the services built before it (its backends, in dependency order). */
export function buildService(
  stack: TerraformStack,
  shared: SharedParts,
  s: ResolvedService,
  built: ReadonlyMap<string, ServiceHandle>,
): ServiceHandle {
  const { env, provider, mesh, cluster } = shared;
  const securityGroup = shared.securityGroups.get(s.name)!;
  const groupOf = (name: string) => shared.securityGroups.get(name)!.group.id;
  // Its port from the services that call it; out to its backends' ports, the external services' and HTTPS. Where calls
  // go through the provider instead (VPC Lattice), they arrive from the provider's peers (pieces.admit, below).
  if (provider.supports("directCalls")) {
    for (const caller of env.services.filter((c) => c.backends.some((b) => b.service === s.name))) {
      securityGroup.admitService(caller.name, s.port, { name: caller.name, securityGroupId: groupOf(caller.name) });
    }
    for (const b of s.backends) securityGroup.reachService(b.service, b.port, { name: b.service, securityGroupId: groupOf(b.service) });
  }
  securityGroup.reachOutside(s.externalBackends.map((e) => e.port));
  const { runtime } = s;
  // The environment's own repository, unless the service names an image of its own.
  const repository = runtime.image ? undefined : new EcrRepository(stack, `${s.name}-ecr`, { name: s.names.ecrRepository }).repository;
  const logGroup = new LogGroup(stack, `${s.name}-logs`, { name: s.names.logGroup, retentionInDays: s.logRetentionDays }).group;
  const pieces = mesh.service(stack, s, { logGroupName: logGroup.name });
  const queue = s.deadLetterQueue ? shared.deadLetters : undefined;
  const sendDeadLetters: Statement[] = queue
    ? [{ Sid: "DeadLetters", Effect: "Allow", Action: "sqs:SendMessage", Resource: queue.arn }]
    : [];
  const sidecarRepositories = runtime.sidecars.flatMap((c) => ecrRepositoryArnOf(c.image) ?? []);
  const ownImage = runtime.image ? ecrRepositoryArnOf(runtime.image) : repository!.arn;
  const roles = new TaskRoles(stack, `${s.name}-iam`, {
    executionRoleName: s.names.executionRole,
    taskRoleName: s.names.taskRole,
    accountId: shared.accountId,
    repositoryArns: [...new Set([...(ownImage ? [ownImage] : []), ...pieces.pullRepositories, ...sidecarRepositories])],
    logGroupArn: logGroup.arn,
    secrets: {
      secretsManager: runtime.secrets.filter((x) => x.valueFrom.includes(":secretsmanager:")).map((x) => x.resource),
      parameters: runtime.secrets.filter((x) => x.valueFrom.includes(":ssm:")).map((x) => x.resource),
      kmsKeys: runtime.secretsKmsKeys,
    },
    taskStatements: [...pieces.taskStatements, ...sendDeadLetters, ...firelensLogs(s, logGroup.arn), ...appPermissions(s)],
    tracing: env.tracing.collector !== "none",
  });
  // The provider's own way in (App Mesh: a virtual gateway), or the service's tasks in the load balancer's target group.
  const viaGateway = provider.supports("ingressGateway");
  // ECS shifts the ingress's traffic itself in a blue-green, linear or canary deployment.
  const shifts = s.ingress !== undefined && !viaGateway && s.deployment.strategy !== "rolling";
  // The gateway's tasks have a group of their own: the load balancer reaches them, they reach the service.
  const gatewayGroup =
    s.ingress && viaGateway
      ? new ServiceSecurityGroup(stack, `${s.name}-gateway-security-group`, {
          name: `${s.names.securityGroup}-gateway`,
          service: `${s.name}-gateway`,
          vpcId: env.network.vpcId,
        })
      : undefined;
  if (gatewayGroup) {
    gatewayGroup.reachService(s.name, s.port, { name: s.name, securityGroupId: securityGroup.group.id });
    gatewayGroup.reachOutside([]);
    securityGroup.admit("gateway", s.port, { securityGroupId: gatewayGroup.group.id, what: `the ingress gateway of ${s.name}` });
  }
  // The provider's own peers (VPC Lattice: its managed prefix list).
  for (const [i, peer] of (pieces.admit ?? []).entries()) securityGroup.admit(`provider-${i}`, s.port, peer);
  const ingress = s.ingress
    ? new Ingress(stack, `${s.name}-ingress`, {
        service: { ...s, ingress: s.ingress },
        vpcId: env.network.vpcId,
        // An internet-facing load balancer lives in public subnets (ELB guide; the check publicSubnets requires them).
        subnetIds: s.ingress.scheme === "internet-facing" ? env.network.publicSubnetIds! : env.network.subnetIds,
        tasksSecurityGroupId: (gatewayGroup ?? securityGroup).group.id,
        alternate: shifts,
        // The load balancer checks that its targets accept connections, rather than asking a path over HTTP/1.1, where
        // a path cannot tell: a gateway answers as the service's routes say (a 404 where no route takes the path), a
        // gRPC server speaks HTTP/2 only, a TCP service no HTTP at all.
        ...((viaGateway || s.protocol === "tcp" || s.protocol === "grpc") && { healthCheck: "tcp" as const }),
      })
    : undefined;
  const shiftRole = shifts ? shared.loadBalancerDeployments() : undefined;
  const backends = provider.supports("callersAfterBackends")
    ? s.backends.flatMap((b) => built.get(b.service)?.versions.map((v) => v.ecsService) ?? [])
    : [];
  // A change to what AWS cannot update in place replaces the ECS services (Terraform's replace_triggered_by on a
  // terraform_data holding it): the provider waits for the old service to be deleted before creating the new one.
  const immutable = pieces.replaceServiceWhen ? new HeldValue(stack, `${s.name}-immutable`, pieces.replaceServiceWhen) : undefined;
  const versions = s.versions.map((version, i) => {
    const id = version.name === undefined ? s.name : `${s.name}-${version.name}`;
    const v = asVersion(s, version);
    const { refs, ecsService: discovery } = pieces.versions[i]!;
    const containers = taskContainers(provider, {
      env,
      service: v,
      appImage: runtime.image ?? `${repository!.repositoryUrl}:${v.imageTag ?? AWAITING_IMAGE_TAG}`,
      logGroupName: logGroup.name,
      refs,
      ...(queue && { deadLetterQueueUrl: queue.url }),
    });
    const taskDefinition = new TaskDefinition(stack, `${id}-task`, {
      service: v,
      containers,
      executionRoleArn: roles.executionRole.arn,
      taskRoleArn: roles.taskRole.arn,
    }).definition;
    const ecsService = new EcsService(stack, `${id}-service`, {
      service: v,
      clusterArn: cluster.cluster.arn,
      taskDefinitionArn: taskDefinition.arn,
      capacityProviderStrategy: cluster.strategy,
      subnetIds: env.network.subnetIds,
      securityGroupIds: [securityGroup.group.id],
      discovery,
      ...(ingress && !viaGateway && { targetGroupArn: ingress.targetGroup.arn }),
      ...(shared.web?.targetGroupOf(s.name) && { webTargetGroupArn: shared.web.targetGroupOf(s.name)!.arn }),
      ...(ingress?.alternateTargetGroup &&
        shiftRole && {
          trafficShift: {
            alternateTargetGroupArn: ingress.alternateTargetGroup.arn,
            productionListenerRule: ingress.listener.arn,
            roleArn: shiftRole.role.arn,
          },
        }),
      dependsOn: [
        cluster.capacityProviders,
        ...roles.policies,
        ...securityGroup.rules,
        ...(viaGateway ? [] : (ingress?.dependables ?? [])),
        ...(shared.web?.dependablesOf(s.name) ?? []),
        ...(pieces.dependsOn ?? []),
        ...(shiftRole ? [shiftRole.grant] : []),
        ...backends,
      ],
      ...(pieces.preconditions && { preconditions: pieces.preconditions }),
      ...(immutable && { replaceTriggeredBy: [immutable] }),
      // Operating it (stacks/add-ons/scaling.ts, alarms.ts): scaling owns the count, meshform's alarms roll back.
      ignoreDesiredCount: scalingRange(s, version) !== undefined,
      ownRollbackAlarms: ownRollbackAlarms(env, s, provider.supports("requestMetrics")),
    }).ecsService;
    return { version, taskDefinition, ecsService };
  });
  if (ingress && viaGateway) {
    mesh.ingress?.(stack, s, {
      targetGroupArn: ingress.targetGroup.arn,
      clusterArn: cluster.cluster.arn,
      capacityProviderStrategy: cluster.strategy,
      subnetIds: env.network.subnetIds,
      securityGroupIds: [gatewayGroup!.group.id],
      dependsOn: [cluster.capacityProviders, ...gatewayGroup!.rules, ...ingress.dependables],
    });
  }
  return { service: s, repository, logGroup, roles, ...(ingress && { ingress }), versions, pieces };
}
