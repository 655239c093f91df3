import { EcsService as AwsEcsService, type EcsServiceConfig } from "@cdktf/provider-aws/lib/ecs-service";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { ResolvedService } from "../config/model";
import type { CapacityProviderStrategy } from "./cluster";

export interface EcsServiceProps {
  service: ResolvedService;
  clusterArn: string;
  taskDefinitionArn: string;
  capacityProviderStrategy: CapacityProviderStrategy[];
  subnetIds: string[];
  securityGroupIds: string[];
  /** How its tasks are found, from the provider: a Cloud Map registry, or Service Connect. */
  discovery: Pick<EcsServiceConfig, "serviceRegistries" | "serviceConnectConfiguration">;
  /** What must exist before tasks start and outlive them on destroy (capacity providers, role policies, security group rules, and under Service Connect the backends' services). */
  dependsOn: ITerraformDependable[];
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
      deploymentMinimumHealthyPercent: service.deployment.minimumHealthyPercent,
      deploymentMaximumPercent: service.deployment.maximumPercent,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      // A deployment the circuit breaker rolls back then fails the apply instead of reporting success.
      waitForSteadyState: service.deployment.waitForSteadyState,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      enableExecuteCommand: false,
      dependsOn: props.dependsOn,
    });
  }
}
