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
import { asVersion, type ResolvedService, type ResolvedVersion } from "../src/config/model";
import { ownRollbackAlarms, scalingRange } from "../src/config/operate-model";
import { taskContainers } from "../src/constructs/container-definitions";
import { EcrRepository } from "../src/constructs/ecr-repository";
import { EcsService } from "../src/constructs/ecs-service";
import { TaskRoles } from "../src/constructs/iam";
import { Ingress } from "../src/constructs/ingress";
import { LogGroup } from "../src/constructs/log-group";
import type { Statement } from "../src/constructs/policy-document";
import { TaskDefinition } from "../src/constructs/task-definition";
import type { ServicePieces } from "../src/providers/provider";
import type { SharedParts } from "./shared";

export interface ServiceHandle {
  service: ResolvedService;
  repository: AwsEcrRepository;
  logGroup: CloudwatchLogGroup;
  roles: TaskRoles;
  ingress?: Ingress;
  /** One per version, in the order of `service.versions` (a service without versions has one). */
  versions: { version: ResolvedVersion; taskDefinition: EcsTaskDefinition; ecsService: AwsEcsService }[];
  /** What the provider made for it. */
  pieces: ServicePieces;
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
  const { env, provider, mesh, cluster, securityGroup } = shared;
  const repository = new EcrRepository(stack, `${s.name}-ecr`, { name: s.names.ecrRepository }).repository;
  const logGroup = new LogGroup(stack, `${s.name}-logs`, { name: s.names.logGroup, retentionInDays: s.logRetentionDays }).group;
  const pieces = mesh.service(stack, s, { logGroupName: logGroup.name });
  const queue = s.deadLetterQueue ? shared.deadLetters : undefined;
  const sendDeadLetters: Statement[] = queue
    ? [{ Sid: "DeadLetters", Effect: "Allow", Action: "sqs:SendMessage", Resource: queue.arn }]
    : [];
  const roles = new TaskRoles(stack, `${s.name}-iam`, {
    executionRoleName: s.names.executionRole,
    taskRoleName: s.names.taskRole,
    accountId: shared.accountId,
    repositoryArns: [repository.arn, ...pieces.pullRepositories],
    logGroupArn: logGroup.arn,
    taskStatements: [...pieces.taskStatements, ...sendDeadLetters],
    tracing: env.tracing.collector !== "none",
  });
  // The provider's own way in (App Mesh: a virtual gateway), or the service's tasks in the load balancer's target group.
  const viaGateway = provider.supports("ingressGateway");
  // ECS shifts the ingress's traffic itself in a blue-green, linear or canary deployment.
  const shifts = s.ingress !== undefined && !viaGateway && s.deployment.strategy !== "rolling";
  const ingress = s.ingress
    ? new Ingress(stack, `${s.name}-ingress`, {
        service: { ...s, ingress: s.ingress },
        vpcId: env.network.vpcId,
        // An internet-facing load balancer lives in public subnets (ELB guide; the check publicSubnets requires them).
        subnetIds: s.ingress.scheme === "internet-facing" ? env.network.publicSubnetIds! : env.network.subnetIds,
        tasksSecurityGroupId: securityGroup.group.id,
        alternate: shifts,
        // A gateway answers a path as the service's routes say, and may answer the health check path with a 404
        // when no route takes it: the load balancer checks that the gateway accepts connections instead.
        ...(viaGateway && { healthCheck: "tcp" as const }),
      })
    : undefined;
  const shiftRole = shifts ? shared.loadBalancerDeployments() : undefined;
  const backends = provider.supports("callersAfterBackends")
    ? s.backends.flatMap((b) => built.get(b.service)?.versions.map((v) => v.ecsService) ?? [])
    : [];
  const versions = s.versions.map((version, i) => {
    const id = version.name === undefined ? s.name : `${s.name}-${version.name}`;
    const v = asVersion(s, version);
    const { refs, ecsService: discovery } = pieces.versions[i]!;
    const containers = taskContainers(provider, {
      env,
      service: v,
      appImage: `${repository.repositoryUrl}:${v.imageTag}`,
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
        ...securityGroup.rulesFor(
          s.port,
          s.backends.map((b) => b.port),
          s.externalBackends.map((e) => e.port),
        ),
        ...(viaGateway ? [] : (ingress?.dependables ?? [])),
        ...(pieces.dependsOn ?? []),
        ...(shiftRole ? [shiftRole.grant] : []),
        ...backends,
      ],
      ...(pieces.preconditions && { preconditions: pieces.preconditions }),
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
      securityGroupIds: [securityGroup.group.id],
      dependsOn: [cluster.capacityProviders, ...securityGroup.rulesFor(s.port, [s.port]), ...ingress.dependables],
    });
  }
  return { service: s, repository, logGroup, roles, ...(ingress && { ingress }), versions, pieces };
}
