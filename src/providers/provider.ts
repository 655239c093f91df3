/**
 * The seam between meshform's neutral core and a mesh provider (App Mesh, Service Connect, …): the one
 * interface every provider folder implements. The neutral layers never import a provider or the registry
 * (index.ts); they are handed a MeshProvider: config checks through their context, the model through
 * resolveEnvironment, containers through taskContainers, the stack through EnvironmentStack. What a provider
 * can or cannot honour is data, in the capability table (capabilities.ts), read through `supports`.
 *
 * Two halves: everything but `stack` is pure (validate never loads cdktf or the provider classes); `stack`,
 * the construct half, is loaded on first use (`await provider.stack.load()` before building a stack).
 */
import type { EcsServiceConfig } from "@cdktf/provider-aws/lib/ecs-service";
import type { ServiceDiscoveryPrivateDnsNamespace } from "@cdktf/provider-aws/lib/service-discovery-private-dns-namespace";
import type { ITerraformDependable, Precondition } from "cdktf";
import type { Construct } from "constructs";
import type { Check } from "../config/checks/check";
import type { RequestMetrics } from "../config/metrics";
import type { Reservation, ResolvedBackend, ResolvedEnvironment, ResolvedService } from "../config/model";
import type { ValidParts } from "../config/parts";
import type { Rule } from "../config/rules";
import type { EnvironmentConfig } from "../config/schema";
import type { CloudMap } from "../constructs/cloud-map";
import type { CapacityProviderStrategy, Cluster } from "../constructs/cluster";
import type { Statement } from "../constructs/policy-document";
import type { Peer } from "../constructs/security-group";
import type { Feature } from "./capabilities";
import type { Lazy } from "./lazy";

export type ProviderId = EnvironmentConfig["mesh"]["provider"];

/** A provider by its id, as the registry hands it to the layers below it. */
export type ProviderLookup = (id: ProviderId) => MeshProvider;

export type ContainerDefinition = Record<string, unknown>;

export interface ContainerInputs {
  env: ResolvedEnvironment;
  service: ResolvedService;
  /** The app's image and log group, as references or literal values. */
  appImage: string;
  logGroupName: string;
  /** References to the provider's own resources (App Mesh: `virtualNodeArn`). */
  refs: Record<string, string>;
  /** The environment's dead-letter queue, for services that use it. */
  deadLetterQueueUrl?: string;
}

export interface ProviderContainers {
  /** Containers beside the app and the X-Ray daemon. */
  sidecars: ContainerDefinition[];
  /** What the app container waits for before it starts. */
  appDependsOn: { containerName: string; condition: "START" | "HEALTHY" }[];
  /** Fields added to the app's port mapping (Service Connect names it and states its protocol). */
  portMapping: Record<string, string>;
  /** The app container's health check timing, where the provider has no health check of its own (seconds). */
  appHealthCheck?: { interval: number; timeout: number; retries: number };
  /** The task's proxy configuration (App Mesh's iptables redirection). */
  proxyConfiguration?: { type: "APPMESH"; containerName: string; properties: Record<string, string> };
  /** The user the X-Ray daemon runs as (under App Mesh, the uid whose traffic bypasses Envoy). */
  tracingUser: string;
  /**
   * Variables of the app beyond the core's, set over them (VPC Lattice: each backend's Lattice URL, and how to sign
   * calls to it). Names a user cannot set themselves: backendVariableNames lists them.
   */
  environment?: Record<string, string>;
}

/** The shortest timeout a backend needs for its callers' requests to work, and why. */
export interface ListenerFloor {
  ms: number;
  why: string;
}

/** The `mesh` block as far as it is valid: what reservations() can read before the file is known to be valid. */
export type MeshParts = NonNullable<ValidParts["mesh"]>;

/** One call, as `explain` tells it: who calls whom, with what timeouts, retried or not. */
export interface CallDescription {
  caller: string;
  backend: string;
  routeTimeoutMs: number;
  backendTimeoutMs: number;
  retried: boolean;
}

// ---- the construct half ----

export interface SharedResources {
  /** The environment, with user text already escaped for Terraform. */
  env: ResolvedEnvironment;
  cloudMap: CloudMap;
  namespace: ServiceDiscoveryPrivateDnsNamespace;
  cluster: Cluster;
  /** The account the stack deploys to (a Terraform reference), for confused-deputy conditions. */
  accountId: string;
}

/** The settings of an ECS service that say how its tasks are found. */
export type EcsDiscovery = Pick<EcsServiceConfig, "serviceRegistries" | "serviceConnectConfiguration" | "vpcLatticeConfigurations">;

/** What the provider makes for one version of a service (a service without versions has one). */
export interface VersionPieces {
  /** References the provider's containers need (App Mesh: `virtualNodeArn`). */
  refs: Record<string, string>;
  /** How the ECS service's tasks are found: a Cloud Map registry, Service Connect, or VPC Lattice's target groups. */
  ecsService: EcsDiscovery;
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
  /** What must hold before its ECS services are created or changed (Terraform preconditions, checked at plan time). */
  preconditions?: Precondition[];
  /** Who else reaches the service's port through the provider (VPC Lattice: its managed prefix list). */
  admit?: Peer[];
  /**
   * Settings AWS cannot change in a running ECS service (Service Connect: the port's `appProtocol`), by name: when
   * one changes, Terraform replaces the ECS services instead of failing the apply with an update AWS refuses.
   */
  replaceServiceWhen?: Record<string, string>;
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
  /**
   * Once every service is built, what needs their task roles (VPC Lattice: the auth policies, which name the roles
   * of each backend's callers, so Terraform creates them after the roles exist).
   */
  afterServices?(scope: Construct, built: readonly BuiltService[]): void;
  /** Outputs of the environment beside the core's. */
  readonly outputs: Record<string, string>;
  /**
   * What to set on a service's ECS services beyond what the AWS provider bindings can express, by Terraform
   * path (applied with addOverride by the access-logs add-on): Service Connect's proxy access logs.
   */
  ecsServiceOverrides?(service: ResolvedService): Record<string, unknown>;
}

/** A service once built, as afterServices sees it. */
export interface BuiltService {
  service: ResolvedService;
  /** Its task role's ARN (a Terraform reference). */
  taskRoleArn: string;
}

export type ProviderStackFactory = (scope: Construct, shared: SharedResources) => ProviderStack;

// ---- the provider ----

export interface MeshProvider {
  readonly id: ProviderId;
  /** As a user reads it: "App Mesh". */
  readonly displayName: string;
  /** What the provider honours, from the capability table. */
  supports(feature: Feature): boolean;
  /** The rules it raises beyond the core's (its quotas, its end of life, its own refusals), for the rule catalogue. */
  readonly rules: readonly Rule[];
  /** Its checks: the capability table's refusals for it, then its own. */
  readonly checks: readonly Check[];
  /** The request metrics its proxies publish to CloudWatch, where they publish any (capability `requestMetrics`). */
  readonly metrics?: RequestMetrics;
  /** Who enforces a route's retry policy (`who`, as a reader says it): the provider's proxy, with its own backoff, or the caller's code. */
  readonly retries: { by: "proxy"; who: string; backoffCapMs: number; backoff: string } | { by: "caller"; who: string };
  /** Its share of every task before the app's (beside the X-Ray daemon's); undefined while a size is unknown. */
  reservation(mesh: MeshParts | undefined): Reservation | undefined;
  /** Its own settings of the environment (App Mesh: the egress filter, Envoy), read only by the provider. */
  options(config: EnvironmentConfig): unknown;
  /** What the provider tells a caller about one backend beyond its URL and deadline (Service Connect: the retry policy). */
  backendVariables(backend: ResolvedBackend): Record<string, string>;
  /** The names backendVariables may set for a backend, each with the reason, for the reserved-names check. */
  backendVariableNames(backend: string): Map<string, string>;
  /** The shortest timeout a backend needs for its route (`field`: "route" or "routes[i]") to work under this provider. */
  listenerFloor(routeTimeoutMs: number, perTryMs: number | undefined, field?: string): ListenerFloor;
  /** Said after a caller-timeout warning, when the provider has a rule of its own about it. */
  callerTimeoutNote(routeTimeoutMs: number): string;
  /** The containers it adds and how the app's changes; pure, so the task size can be measured before synth. */
  containers(input: ContainerInputs): ProviderContainers;
  /** Placeholders as long as the real references, for measuring a task definition before synth. */
  placeholderRefs(env: ResolvedEnvironment, service: ResolvedService): Record<string, string>;
  /** The path of one call through the provider, for `explain`. */
  journey(call: CallDescription): string;
  /** Whether a synthesized stack (cdk.tf.json) was made under this provider, for the review. */
  madeStack(stack: { resource?: Record<string, Record<string, unknown>> }): boolean;
  /**
   * Resource types (prefixes) Terraform must forget rather than delete when an environment leaves this provider,
   * because AWS no longer serves their API (App Mesh's, since its end of life).
   */
  readonly forgetOnLeaving: readonly string[];
  /**
   * What the provider is billed for by the hour beside the tasks, by the Terraform resource a price list prices
   * (VPC Lattice: `aws_vpclattice_service`, one for each service others call), for the month's cost; none when absent.
   */
  readonly billing?: { resource: string; units(env: ResolvedEnvironment): number };
  /** The construct half. */
  readonly stack: Lazy<ProviderStackFactory>;
}
