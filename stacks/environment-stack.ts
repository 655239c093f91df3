/**
 * One Terraform stack per environment, composed from the resolved model: the core (networking, ECS, IAM,
 * logs, images, the dead-letter queue) here, and what App Mesh or Service Connect add through the
 * provider seam (src/providers/stack.ts).
 */
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import type { EcsService as AwsEcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { asVersion, type ResolvedEnvironment, type ResolvedService } from "../src/config/model";
import { CloudMap } from "../src/constructs/cloud-map";
import { Cluster } from "../src/constructs/cluster";
import { taskContainers } from "../src/constructs/container-definitions";
import { DeadLetterQueue } from "../src/constructs/dead-letter-queue";
import { EcrRepository } from "../src/constructs/ecr-repository";
import { EcsService } from "../src/constructs/ecs-service";
import { TaskRoles } from "../src/constructs/iam";
import { InfrastructureRole, LOAD_BALANCER_DEPLOYMENT_POLICY } from "../src/constructs/infrastructure-role";
import { Ingress } from "../src/constructs/ingress";
import { LogGroup } from "../src/constructs/log-group";
import type { Statement } from "../src/constructs/policy-document";
import { MeshSecurityGroup } from "../src/constructs/security-group";
import { TaskDefinition } from "../src/constructs/task-definition";
import { terraformLiterals } from "../src/constructs/terraform-literals";
import { PROVIDER_STACKS } from "../src/providers/stack";
import { stackJson } from "../src/synth/stack-json";

/**
 * Local state lives beside the repository's root, not in cdktf.out, and the path is relative to the stack's
 * working directory `cdktf.out/stacks/<env>`: no absolute paths in the JSON.
 */
export const localStatePath = (env: string) => `../../../terraform.${env}.tfstate`;

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

export class EnvironmentStack extends TerraformStack {
  /** This stack's own addOverride() calls, which stackJson() needs (cdktf keeps its copy private). */
  private readonly overrides: Record<string, unknown> = {};

  constructor(scope: Construct, config: ResolvedEnvironment) {
    super(scope, config.name);
    // The one boundary where user text meets Terraform: from here on every string the user wrote is escaped.
    const env = terraformLiterals(config);
    new AwsProvider(this, "aws", { region: env.region, defaultTags: [{ tags: env.tags }] });
    if (env.state) {
      new S3Backend(this, { ...env.state, encrypt: true });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3BackendConfig predates the option.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    } else new LocalBackend(this, { path: localStatePath(env.name) });

    const account = new DataAwsCallerIdentity(this, "account");
    const cloudMap = new CloudMap(this, "cloud-map", { namespace: env.names.namespace, vpcId: env.network.vpcId });
    const cluster = new Cluster(this, "cluster", { name: env.names.prefix, ...env.cluster });
    const securityGroup = new MeshSecurityGroup(this, "security-group", {
      name: `${env.names.prefix}-mesh`,
      vpcId: env.network.vpcId,
      ports: env.services.map((s) => s.port),
      externalPorts: env.externalServices.map((e) => e.port),
    });
    const provider = PROVIDER_STACKS[env.mesh.provider](this, {
      env,
      cloudMap,
      namespace: cloudMap.namespace,
      cluster,
      accountId: account.accountId,
    });
    const deadLetters = env.services.some((s) => s.deadLetterQueue)
      ? new DeadLetterQueue(this, "dead-letters", {
          name: env.names.deadLetterQueue,
          alarmName: env.names.deadLetterAlarm,
          ...(env.alarmTopicArn && { alarmTopicArn: env.alarmTopicArn }),
        }).queue
      : undefined;

    const ecsServices = new Map<string, AwsEcsService[]>();
    let lbRole: InfrastructureRole | undefined;
    const loadBalancerDeployments = () =>
      (lbRole ??= new InfrastructureRole(this, "load-balancer-deployments", {
        name: env.names.loadBalancerDeploymentRole,
        description: "ECS infrastructure: shift load balancer traffic in blue-green, linear and canary deployments",
        accountId: account.accountId,
        policyArn: LOAD_BALANCER_DEPLOYMENT_POLICY,
      }));
    const outputs: Record<string, object> = {};
    for (const s of inDependencyOrder(env.services)) {
      const repository = new EcrRepository(this, `${s.name}-ecr`, { name: s.names.ecrRepository }).repository;
      const logGroup = new LogGroup(this, `${s.name}-logs`, { name: s.names.logGroup, retentionInDays: s.logRetentionDays }).group;
      const pieces = provider.service(this, s, { logGroupName: logGroup.name });
      const queue = s.deadLetterQueue ? deadLetters : undefined;
      const sendDeadLetters: Statement[] = queue
        ? [{ Sid: "DeadLetters", Effect: "Allow", Action: "sqs:SendMessage", Resource: queue.arn }]
        : [];
      const roles = new TaskRoles(this, `${s.name}-iam`, {
        executionRoleName: s.names.executionRole,
        taskRoleName: s.names.taskRole,
        accountId: account.accountId,
        repositoryArns: [repository.arn, ...pieces.pullRepositories],
        logGroupArn: logGroup.arn,
        taskStatements: [...pieces.taskStatements, ...sendDeadLetters],
      });
      // ECS shifts the ingress's traffic itself in a blue-green, linear or canary deployment (Service Connect).
      const shifts = s.ingress !== undefined && !provider.ingress && s.deployment.strategy !== "rolling";
      const ingress = s.ingress
        ? new Ingress(this, `${s.name}-ingress`, {
            service: { ...s, ingress: s.ingress },
            vpcId: env.network.vpcId,
            subnetIds: env.network.subnetIds,
            tasksSecurityGroupId: securityGroup.group.id,
            alternate: shifts,
          })
        : undefined;
      const shiftRole = shifts ? loadBalancerDeployments() : undefined;
      const backends = provider.callersAfterBackends ? s.backends.flatMap((b) => ecsServices.get(b.service) ?? []) : [];
      // One task definition and ECS service per version; a service without versions has one, under its own names.
      const services = s.versions.map((version, i) => {
        const id = version.name === undefined ? s.name : `${s.name}-${version.name}`;
        const v = asVersion(s, version);
        const { refs, ecsService: discovery } = pieces.versions[i]!;
        const containers = taskContainers({
          env,
          service: v,
          appImage: `${repository.repositoryUrl}:${v.imageTag}`,
          logGroupName: logGroup.name,
          refs,
          ...(queue && { deadLetterQueueUrl: queue.url }),
        });
        const task = new TaskDefinition(this, `${id}-task`, {
          service: v,
          containers,
          executionRoleArn: roles.executionRole.arn,
          taskRoleArn: roles.taskRole.arn,
        }).definition;
        return new EcsService(this, `${id}-service`, {
          service: v,
          clusterArn: cluster.cluster.arn,
          taskDefinitionArn: task.arn,
          capacityProviderStrategy: cluster.strategy,
          subnetIds: env.network.subnetIds,
          securityGroupIds: [securityGroup.group.id],
          discovery,
          ...(ingress && !provider.ingress && { targetGroupArn: ingress.targetGroup.arn }),
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
            ...(provider.ingress ? [] : (ingress?.dependables ?? [])),
            ...(pieces.dependsOn ?? []),
            ...(shiftRole ? [shiftRole.attachment] : []),
            ...backends,
          ],
        }).ecsService;
      });
      ecsServices.set(s.name, services);
      if (ingress && provider.ingress) {
        provider.ingress(this, s, {
          targetGroupArn: ingress.targetGroup.arn,
          clusterArn: cluster.cluster.arn,
          capacityProviderStrategy: cluster.strategy,
          subnetIds: env.network.subnetIds,
          securityGroupIds: [securityGroup.group.id],
          dependsOn: [cluster.capacityProviders, ...securityGroup.rulesFor(s.port, [s.port]), ...ingress.dependables],
        });
      }
      outputs[s.name] = {
        dns_name: s.names.virtualService,
        ...(s.versions.length === 1 && s.versions[0]!.name === undefined
          ? { ecs_service: services[0]!.name }
          : { ecs_services: Object.fromEntries(s.versions.map((v, i) => [v.name!, services[i]!.name])) }),
        ecr_repository_url: repository.repositoryUrl,
        ...(ingress && { ingress_dns_name: ingress.loadBalancer.dnsName }),
        ...pieces.outputs,
      };
    }

    for (const [name, value] of Object.entries(provider.outputs)) new TerraformOutput(this, name, { value });
    new TerraformOutput(this, "namespace", { value: cloudMap.namespace.name });
    new TerraformOutput(this, "cluster_name", { value: cluster.cluster.name });
    if (deadLetters) new TerraformOutput(this, "dead_letter_queue_url", { value: deadLetters.url });
    new TerraformOutput(this, "services", {
      value: outputs,
      description:
        "Per service: DNS name, ECS service, ECR repository, the ingress load balancer's DNS name, and the provider's own (App Mesh: virtual node)",
    });
  }

  override addOverride(path: string, value: unknown): void {
    super.addOverride(path, value);
    const keys = path.split(".");
    let at = this.overrides;
    for (const key of keys.slice(0, -1)) {
      const next = at[key];
      at = at[key] = next !== null && typeof next === "object" && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
    }
    at[keys.at(-1)!] = value;
  }

  /** The same JSON as TerraformStack.toTerraform(), a third of the work: see src/synth/stack-json.ts. */
  override toTerraform(): Record<string, unknown> {
    return stackJson(this, this.overrides);
  }
}
