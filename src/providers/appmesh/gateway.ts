import { AppmeshGatewayRoute } from "@cdktf/provider-aws/lib/appmesh-gateway-route";
import { AppmeshVirtualGateway } from "@cdktf/provider-aws/lib/appmesh-virtual-gateway";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { ResolvedEnvironment, ResolvedService } from "../../config/model";
import type { CapacityProviderStrategy } from "../../constructs/cluster";
import { awsLogs, CONTAINER } from "../../constructs/container-basics";
import { HEALTH_CHECK_GRACE_SECONDS } from "../../constructs/ecs-service";
import { TaskRoles } from "../../constructs/iam";
import { LogGroup } from "../../constructs/log-group";
import { envoyContainer } from "./containers";
import { appMeshNames } from "./facts";
import { optionsOf } from "./options";
import { clientPolicy, tlsStatements } from "./tls";

/** Fargate's smallest task: the gateway is one Envoy. */
export const GATEWAY_TASK = { cpu: 256, memory: 512 } as const;

export interface IngressGatewayProps {
  env: ResolvedEnvironment;
  meshName: string;
  /** The entry service the gateway routes to, and the name of its virtual service (a Terraform reference). */
  service: ResolvedService;
  virtualServiceName: string;
  accountId: string;
  /** ECR repositories the gateway's Envoy image comes from (none for a public image). */
  envoyRepositories: string[];
  clusterArn: string;
  capacityProviderStrategy: CapacityProviderStrategy[];
  subnetIds: string[];
  securityGroupIds: string[];
  targetGroupArn: string;
  dependsOn: ITerraformDependable[];
}

/**
 * App Mesh's way in: a virtual gateway listening on the entry service's port, a gateway route sending every
 * request to the service's virtual service (so the service's routes, versions and retries apply, and its TLS
 * is verified), and the gateway itself: one Envoy per task in an ECS service of its own, registered in the
 * ingress load balancer's target group instead of the service's tasks.
 */
export class IngressGateway extends Construct {
  readonly gateway: AppmeshVirtualGateway;
  readonly ecsService: EcsService;

  constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, id);
    const { env, service: s } = props;
    const names = { ...s.names, ...appMeshNames(s.names) };
    const tls = s.tls;
    this.gateway = new AppmeshVirtualGateway(this, "gateway", {
      name: names.gateway,
      meshName: props.meshName,
      spec: {
        listener: [{ portMapping: { port: s.port, protocol: s.protocol } }],
        // The gateway verifies a TLS service as its callers do.
        ...(tls && { backendDefaults: { clientPolicy: clientPolicy({ port: s.port, trust: tls.trust, mutual: false }) } }),
        logging: { accessLog: { file: { path: "/dev/stdout" } } },
      },
    });
    const route = { match: { prefix: "/" }, action: { target: { virtualService: { virtualServiceName: props.virtualServiceName } } } };
    new AppmeshGatewayRoute(this, "route", {
      name: `${names.gateway}-route`,
      meshName: props.meshName,
      virtualGatewayName: this.gateway.name,
      spec: s.protocol === "http2" ? { http2Route: route } : { httpRoute: route },
    });

    const logGroup = new LogGroup(this, "logs", { name: `${names.logGroup}-gateway`, retentionInDays: s.logRetentionDays }).group;
    const roles = new TaskRoles(this, "iam", {
      executionRoleName: names.gatewayExecutionRole,
      taskRoleName: names.gatewayTaskRole,
      accountId: props.accountId,
      repositoryArns: props.envoyRepositories,
      logGroupArn: logGroup.arn,
      // The gateway's Envoy sends no traces: it has no collector beside it.
      tracing: false,
      taskStatements: [
        { Sid: "AppMeshOwnGateway", Effect: "Allow", Action: "appmesh:StreamAggregatedResources", Resource: this.gateway.arn },
        ...tlsStatements(undefined, tls ? [tls.trust] : []),
      ],
    });
    const { envoy } = optionsOf(env);
    const container = envoyContainer({
      image: envoy.image,
      ports: [s.port],
      environment: { APPMESH_RESOURCE_ARN: this.gateway.arn },
      logConfiguration: awsLogs(logGroup.name, env.region, "gateway"),
    });
    const task = new EcsTaskDefinition(this, "task", {
      family: names.gateway,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(GATEWAY_TASK.cpu),
      memory: String(GATEWAY_TASK.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: roles.executionRole.arn,
      taskRoleArn: roles.taskRole.arn,
      containerDefinitions: JSON.stringify([container]),
    });
    this.ecsService = new EcsService(this, "service", {
      name: names.gateway,
      cluster: props.clusterArn,
      taskDefinition: task.arn,
      // At least one gateway, and as many as the service has tasks.
      desiredCount: Math.max(1, s.desiredCount),
      capacityProviderStrategy: props.capacityProviderStrategy,
      platformVersion: "LATEST",
      networkConfiguration: { subnets: props.subnetIds, securityGroups: props.securityGroupIds, assignPublicIp: false },
      loadBalancer: [{ targetGroupArn: props.targetGroupArn, containerName: CONTAINER.envoy, containerPort: s.port }],
      healthCheckGracePeriodSeconds: HEALTH_CHECK_GRACE_SECONDS,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      waitForSteadyState: s.deployment.waitForSteadyState,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      enableExecuteCommand: false,
      dependsOn: [...props.dependsOn, ...roles.policies],
    });
  }
}
