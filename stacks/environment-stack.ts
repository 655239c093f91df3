/** One Terraform stack per environment, composed from the resolved model. */
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { ResolvedEnvironment, ResolvedService } from "../src/config/model";
import { CloudMap } from "../src/constructs/cloud-map";
import { Cluster } from "../src/constructs/cluster";
import { EcrRepository, ecrRepositoryArnOf } from "../src/constructs/ecr-repository";
import { EcsService } from "../src/constructs/ecs-service";
import { TaskRoles } from "../src/constructs/iam";
import { LogGroup } from "../src/constructs/log-group";
import { Mesh } from "../src/constructs/mesh";
import { MeshSecurityGroup } from "../src/constructs/security-group";
import { TaskDefinition } from "../src/constructs/task-definition";
import { terraformLiterals } from "../src/constructs/terraform-literals";
import { VirtualNode } from "../src/constructs/virtual-node";
import { VirtualRouter } from "../src/constructs/virtual-router";
import { VirtualService } from "../src/constructs/virtual-service";

/**
 * Local state lives beside the repository's root, not in cdktf.out (which every synth replaces), and the
 * path is relative to the stack's working directory `cdktf.out/stacks/<env>`: no absolute paths in the JSON.
 */
export const localStatePath = (env: string) => `../../../terraform.${env}.tfstate`;

export class EnvironmentStack extends TerraformStack {
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
    const mesh = new Mesh(this, "mesh", { name: env.names.prefix, egress: env.mesh.egress });
    const cloudMap = new CloudMap(this, "cloud-map", { namespace: env.names.namespace, vpcId: env.network.vpcId });
    const cluster = new Cluster(this, "cluster", { name: env.names.prefix, ...env.cluster });
    const securityGroup = new MeshSecurityGroup(this, "security-group", {
      name: `${env.names.prefix}-mesh`,
      vpcId: env.network.vpcId,
      ports: env.services.map((s) => s.port),
    });

    // Routers and virtual services first: nodes name their backends' virtual services, routes name nodes.
    const routers = new Map<string, VirtualRouter>();
    const virtualServices = new Map<string, VirtualService>();
    for (const s of env.services) {
      const router = new VirtualRouter(this, `${s.name}-router`, { meshName: mesh.name, service: s });
      routers.set(s.name, router);
      virtualServices.set(
        s.name,
        new VirtualService(this, `${s.name}-virtual-service`, {
          meshName: mesh.name,
          name: s.names.virtualService,
          virtualRouterName: router.router.name,
        }),
      );
    }

    const outputs: Record<string, object> = {};
    for (const s of env.services) {
      const node = new VirtualNode(this, `${s.name}-node`, {
        meshName: mesh.name,
        namespace: cloudMap.namespace.name,
        service: s,
        backendVirtualServices: s.backends.map((b) => virtualServices.get(b.service)!.service.name),
      }).virtualNode;
      routers.get(s.name)!.routeTo(node.name);
      const discovery = cloudMap.addService(s.names.discovery);
      const repository = new EcrRepository(this, `${s.name}-ecr`, { name: s.names.ecrRepository }).repository;
      const logGroup = new LogGroup(this, `${s.name}-logs`, { name: s.names.logGroup, retentionInDays: s.logRetentionDays }).group;
      const roles = new TaskRoles(this, `${s.name}-iam`, {
        executionRoleName: s.names.executionRole,
        taskRoleName: s.names.taskRole,
        accountId: account.accountId,
        repositoryArns: [repository.arn, ...optional(ecrRepositoryArnOf(env.mesh.envoy.image))],
        logGroupArn: logGroup.arn,
        virtualNodeArn: node.arn,
      });
      const task = new TaskDefinition(this, `${s.name}-task`, {
        service: s,
        region: env.region,
        namespace: env.names.namespace,
        appImage: `${repository.repositoryUrl}:${s.imageTag}`,
        envoy: env.mesh.envoy,
        xray: env.mesh.xray,
        logGroupName: logGroup.name,
        virtualNodeArn: node.arn,
        executionRoleArn: roles.executionRole.arn,
        taskRoleArn: roles.taskRole.arn,
      }).definition;
      const service = new EcsService(this, `${s.name}-service`, {
        service: s,
        clusterArn: cluster.cluster.arn,
        taskDefinitionArn: task.arn,
        capacityProviderStrategy: cluster.strategy,
        subnetIds: env.network.subnetIds,
        securityGroupIds: [securityGroup.group.id],
        discoveryServiceArn: discovery.arn,
        dependsOn: [cluster.capacityProviders, ...roles.policies, ...securityGroup.rules],
      }).ecsService;
      outputs[s.name] = serviceOutput(s, { ecsService: service.name, ecrRepositoryUrl: repository.repositoryUrl, virtualNodeArn: node.arn });
    }

    new TerraformOutput(this, "mesh_name", { value: mesh.name });
    new TerraformOutput(this, "namespace", { value: cloudMap.namespace.name });
    new TerraformOutput(this, "cluster_name", { value: cluster.cluster.name });
    new TerraformOutput(this, "services", { value: outputs, description: "Per service: DNS name, ECS service, ECR repository, virtual node" });
  }
}

function serviceOutput(s: ResolvedService, refs: { ecsService: string; ecrRepositoryUrl: string; virtualNodeArn: string }) {
  return {
    virtual_service: s.names.virtualService,
    ecs_service: refs.ecsService,
    ecr_repository_url: refs.ecrRepositoryUrl,
    virtual_node_arn: refs.virtualNodeArn,
  };
}

const optional = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value]);
