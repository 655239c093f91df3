import { EcsService as AwsEcsService, type EcsServiceConfig } from "@cdktf/provider-aws/lib/ecs-service";
import type { ITerraformDependable, Precondition, TerraformResource } from "cdktf";
import { Construct } from "constructs";
import type { Deployment, DeploymentStrategy, ResolvedService } from "../config/model";
import type { EcsDiscovery } from "../providers/provider";
import type { CapacityProviderStrategy } from "./cluster";
import { CONTAINER } from "./container-basics";
import { deploymentWaitMinutes, TASK_START_MINUTES } from "./deployment-wait";

export interface EcsServiceProps {
  service: ResolvedService;
  clusterArn: string;
  taskDefinitionArn: string;
  capacityProviderStrategy: CapacityProviderStrategy[];
  subnetIds: string[];
  securityGroupIds: string[];
  /** How its tasks are found, from the provider: a Cloud Map registry, Service Connect, or VPC Lattice's target groups. */
  discovery: EcsDiscovery;
  /** The ingress's target group the tasks register in. */
  targetGroupArn?: string;
  /** The target group of the environment's Application Load Balancer the tasks register in too. */
  webTargetGroupArn?: string;
  /** What ECS needs to shift the ingress's traffic in a blue-green, linear or canary deployment. */
  trafficShift?: { alternateTargetGroupArn: string; productionListenerRule: string; roleArn: string };
  /** What must exist before tasks start and outlive them on destroy (capacity providers, role policies, security group rules, and under Service Connect the backends' services). */
  dependsOn: ITerraformDependable[];
  /** What must hold before the service is created or changed (from the provider). */
  preconditions?: Precondition[];
  /** Resources whose change replaces the service (settings AWS cannot update in place). */
  replaceTriggeredBy?: TerraformResource[];
  /** Application Auto Scaling owns the task count: desired_count is the starting count, and Terraform stops resetting it. */
  ignoreDesiredCount?: boolean;
  /** meshform's own alarms that roll back its deployments, beside the service's rollbackAlarms (the alarms add-on makes them). */
  ownRollbackAlarms?: string[];
}

const STRATEGIES: Record<DeploymentStrategy, string> = {
  rolling: "ROLLING",
  "blue-green": "BLUE_GREEN",
  linear: "LINEAR",
  canary: "CANARY",
};

/** Time after a task starts before the load balancer's failed health checks count against it. */
export const HEALTH_CHECK_GRACE_SECONDS = 60;

/**
 * The deployment settings beyond the minimum and maximum percent. ECS's own strategies (blue-green, linear,
 * canary) shift traffic through Service Connect; the circuit breaker applies to rolling and blue-green
 * deployments only (AWS), so linear and canary roll back on their alarms.
 */
function deployment(d: Deployment, loadBalancer: "network" | undefined, own: readonly string[]): Partial<EcsServiceConfig> {
  const strategy =
    d.strategy === "rolling"
      ? {}
      : {
          deploymentConfiguration: {
            strategy: STRATEGIES[d.strategy],
            bakeTimeInMinutes: String(d.bakeTimeMinutes),
            ...(d.canary && {
              canaryConfiguration: { canaryPercent: d.canary.percent, canaryBakeTimeInMinutes: String(d.canary.bakeTimeMinutes) },
            }),
            ...(d.linear && {
              linearConfiguration: { stepPercent: d.linear.stepPercent, stepBakeTimeInMinutes: String(d.linear.stepBakeTimeMinutes) },
            }),
          },
        };
  const wait = deploymentWaitMinutes(d, loadBalancer);
  const alarms = [...new Set([...d.rollbackAlarms, ...own])];
  return {
    ...strategy,
    ...((d.strategy === "rolling" || d.strategy === "blue-green") && { deploymentCircuitBreaker: { enable: true, rollback: true } }),
    ...(alarms.length > 0 && { alarms: { alarmNames: alarms, enable: true, rollback: true } }),
    // A deployment that bakes or shifts a Network Load Balancer keeps `terraform apply` waiting longer than the provider's default.
    ...(d.waitForSteadyState && wait > TASK_START_MINUTES && { timeouts: { create: `${wait}m`, update: `${wait}m` } }),
  };
}

/** An ECS service on Fargate in private subnets, found through the provider, rolling back failed deployments. */
export class EcsService extends Construct {
  readonly ecsService: AwsEcsService;

  constructor(scope: Construct, id: string, props: EcsServiceProps) {
    super(scope, id);
    const { service } = props;
    this.ecsService = new AwsEcsService(this, "service", {
      name: service.names.ecsService,
      cluster: props.clusterArn,
      taskDefinition: props.taskDefinitionArn,
      desiredCount: service.desiredCount,
      capacityProviderStrategy: props.capacityProviderStrategy,
      platformVersion: "LATEST",
      networkConfiguration: { subnets: props.subnetIds, securityGroups: props.securityGroupIds, assignPublicIp: false },
      ...props.discovery,
      ...((props.targetGroupArn || props.webTargetGroupArn) && {
        loadBalancer: [
          ...(props.targetGroupArn
            ? [
                {
                  targetGroupArn: props.targetGroupArn,
                  containerName: CONTAINER.app,
                  containerPort: service.port,
                  ...(props.trafficShift && { advancedConfiguration: props.trafficShift }),
                },
              ]
            : []),
          ...(props.webTargetGroupArn
            ? [{ targetGroupArn: props.webTargetGroupArn, containerName: CONTAINER.app, containerPort: service.port }]
            : []),
        ],
        healthCheckGracePeriodSeconds: HEALTH_CHECK_GRACE_SECONDS,
      }),
      deploymentMinimumHealthyPercent: service.deployment.minimumHealthyPercent,
      deploymentMaximumPercent: service.deployment.maximumPercent,
      ...deployment(service.deployment, props.targetGroupArn ? "network" : undefined, props.ownRollbackAlarms ?? []),
      // A deployment the circuit breaker rolls back then fails the apply instead of reporting success.
      waitForSteadyState: service.deployment.waitForSteadyState,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      enableExecuteCommand: false,
      dependsOn: props.dependsOn,
      // ECS swaps the production and alternate target groups at every blue-green, linear or canary release
      // behind a load balancer; Terraform would otherwise set them back on its next apply, and the release after
      // would shift nothing (hashicorp/terraform-provider-aws#45678; ignoring load_balancer is the provider's
      // own documented pattern for blue/green deployments that change it).
      // Under scaling Application Auto Scaling changes desired_count; Terraform would set it back on every apply (the
      // provider's docs: "Preserve desired count when updating an autoscaled ECS Service", ignore_changes = [desired_count]).
      ...((props.trafficShift || props.preconditions?.length || props.ignoreDesiredCount || props.replaceTriggeredBy?.length) && {
        lifecycle: {
          ...((props.trafficShift || props.ignoreDesiredCount) && {
            ignoreChanges: [...(props.trafficShift ? ["load_balancer"] : []), ...(props.ignoreDesiredCount ? ["desired_count"] : [])],
          }),
          ...(props.preconditions?.length && { precondition: props.preconditions }),
          // A bare reference: cdktf renders a resource here as "${type.name}", which Terraform refuses ("Invalid character").
          ...(props.replaceTriggeredBy?.length && {
            replaceTriggeredBy: props.replaceTriggeredBy.map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`),
          }),
        },
      }),
    });
  }
}
