import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { Construct } from "constructs";

export interface CapacityProviderStrategy {
  capacityProvider: "FARGATE" | "FARGATE_SPOT";
  weight: number;
  base?: number;
}

/** FARGATE always (base 1 keeps one task on-demand); FARGATE_SPOT beside it when its weight is above 0. */
export function capacityStrategy(fargateSpotWeight: number): CapacityProviderStrategy[] {
  const strategy: CapacityProviderStrategy[] = [{ capacityProvider: "FARGATE", weight: 1, base: 1 }];
  if (fargateSpotWeight > 0) strategy.push({ capacityProvider: "FARGATE_SPOT", weight: fargateSpotWeight });
  return strategy;
}

export interface ClusterProps {
  name: string;
  containerInsights: "enabled" | "enhanced" | "disabled";
  fargateSpotWeight: number;
}

/** The ECS cluster with Container Insights and the Fargate capacity providers. */
export class Cluster extends Construct {
  readonly cluster: EcsCluster;
  readonly capacityProviders: EcsClusterCapacityProviders;
  readonly strategy: CapacityProviderStrategy[];

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    this.strategy = capacityStrategy(props.fargateSpotWeight);
    this.cluster = new EcsCluster(this, "cluster", {
      name: props.name,
      setting: [{ name: "containerInsights", value: props.containerInsights }],
    });
    this.capacityProviders = new EcsClusterCapacityProviders(this, "capacity-providers", {
      clusterName: this.cluster.name,
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategy: this.strategy,
    });
  }
}
