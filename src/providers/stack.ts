/**
 * The provider seam, construct half: what App Mesh or Service Connect add to an environment's stack. The
 * core (stacks/environment-stack.ts) builds ECS, IAM, networking and logs; a provider returns pieces for
 * each service, in the manner of aws-cdk attaching Service Connect to the ECS service rather than
 * modelling it as a graph of its own. The pure half is rules.ts.
 */
import type { EcsServiceConfig } from "@cdktf/provider-aws/lib/ecs-service";
import type { ServiceDiscoveryPrivateDnsNamespace } from "@cdktf/provider-aws/lib/service-discovery-private-dns-namespace";
import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import type { ProviderName } from "../config/limits";
import type { ResolvedEnvironment, ResolvedService } from "../config/model";
import type { CloudMap } from "../constructs/cloud-map";
import type { CapacityProviderStrategy, Cluster } from "../constructs/cluster";
import type { Statement } from "../constructs/policy-document";
import { appMeshStack } from "./appmesh/stack";
import { serviceConnectStack } from "./service-connect/stack";

export interface SharedResources {
  /** The environment, with user text already escaped for Terraform. */
  env: ResolvedEnvironment;
  cloudMap: CloudMap;
  namespace: ServiceDiscoveryPrivateDnsNamespace;
  cluster: Cluster;
  /** The account the stack deploys to (a Terraform reference), for confused-deputy conditions. */
  accountId: string;
}

/** What the provider makes for one version of a service (a service without versions has one). */
export interface VersionPieces {
  /** References the provider's containers need (App Mesh: `virtualNodeArn`). */
  refs: Record<string, string>;
  /** How the ECS service's tasks are found: a Cloud Map registry, or Service Connect. */
  ecsService: Pick<EcsServiceConfig, "serviceRegistries" | "serviceConnectConfiguration">;
}

export interface ServicePieces {
  /** One per version, in the order of `service.versions`. */
  versions: VersionPieces[];
  /** Task role statements beyond the core's. */
  taskStatements: Statement[];
  /** Image repositories (ARNs) the execution role pulls from beyond the app's own. */
  pullRepositories: string[];
  /** Outputs of the service beside the core's. */
  outputs: Record<string, string | Record<string, string>>;
  /** What its ECS services must be created after and destroyed before, beyond the core's. */
  dependsOn?: ITerraformDependable[];
}

/** What a provider's way in needs: the ingress load balancer's target group, and where and after what to run. */
export interface IngressTarget {
  targetGroupArn: string;
  clusterArn: string;
  capacityProviderStrategy: CapacityProviderStrategy[];
  subnetIds: string[];
  securityGroupIds: string[];
  dependsOn: ITerraformDependable[];
}

export interface ProviderStack {
  service(scope: Construct, service: ResolvedService, refs: { logGroupName: string }): ServicePieces;
  /**
   * Where the ingress load balancer of `service` sends traffic, when the provider has its own way in (App
   * Mesh: a virtual gateway); without it, the service's tasks register in the target group themselves.
   */
  ingress?(scope: Construct, service: ResolvedService, target: IngressTarget): void;
  /** Whether a caller's ECS service must be created after its backends' (Service Connect clients resolve only endpoints that exist when their tasks start). */
  readonly callersAfterBackends: boolean;
  /** Outputs of the environment beside the core's. */
  readonly outputs: Record<string, string>;
}

export type ProviderFactory = (scope: Construct, shared: SharedResources) => ProviderStack;

export const PROVIDER_STACKS: Record<ProviderName, ProviderFactory> = {
  appmesh: appMeshStack,
  "service-connect": serviceConnectStack,
};
