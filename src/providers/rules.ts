/**
 * The provider seam, pure half: what App Mesh or Service Connect make of a service that validation and
 * the container definitions need, with no cdktf loaded (validate never pays for the provider bindings).
 * The construct half is stack.ts. Each provider has its own folder; a reader sees both side by side.
 */
import type { Check } from "../config/checks/check";
import type { ProviderName } from "../config/limits";
import type { ResolvedBackend, ResolvedEnvironment, ResolvedService } from "../config/model";
import { appMeshRules } from "./appmesh/rules";
import { serviceConnectRules } from "./service-connect/rules";

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
}

/** The shortest listener timeout a service needs, and why, given its route. */
export interface ListenerFloor {
  ms: number;
  why: string;
}

export interface ProviderRules {
  readonly name: ProviderName;
  /** Checks of fields this provider cannot honour (located, naming the alternative), its quotas, its end of life. */
  readonly checks: readonly Check[];
  /** What the provider tells a caller about one backend beyond its URL and deadline (Service Connect: the retry policy). */
  backendVariables(backend: ResolvedBackend): Record<string, string>;
  /** The names backendVariables may set for a backend, each with the reason, for the reserved-names check. */
  backendVariableNames(backend: string): Map<string, string>;
  /** The shortest listener timeout a backend needs for its route (`field`: "route" or "routes[i]") to work under this provider. */
  listenerFloor(routeTimeoutMs: number, perTryMs: number | undefined, field?: string): ListenerFloor;
  /** Said after a caller-timeout warning, when the provider has a rule of its own about it. */
  callerTimeoutNote(routeTimeoutMs: number): string;
  /** The containers the provider adds and how the app's changes; pure, so the task size can be measured before synth. */
  containers(input: ContainerInputs): ProviderContainers;
  /** Placeholders as long as the real references, for measuring a task definition before synth. */
  placeholderRefs(env: ResolvedEnvironment, service: ResolvedService): Record<string, string>;
}

export const PROVIDER_RULES: Record<ProviderName, ProviderRules> = {
  appmesh: appMeshRules,
  "service-connect": serviceConnectRules,
};
