import type { MeshProvider } from "../../providers/provider";
import type { Diagnostic } from "../diagnostics";
import type { ServiceParts, ValidParts } from "../parts";
import type { Source } from "../source";

/** What a check knows beside the file: the environment's name (from the file name) and its provider, when `mesh.provider` is valid. */
export interface CheckContext {
  env: string;
  provider: MeshProvider | undefined;
}

/** A check sees only the valid parts of a file: whatever it needs and is missing, it skips. */
export type Check = (parts: ValidParts, source: Source, context: CheckContext) => Diagnostic[];

/** Whether the file itself writes a value at `path` (defaults do not count). */
export const written = (source: Source, path: readonly PropertyKey[]) => source.valueAt(path) !== undefined;

/** The region of an ARN (`arn:partition:service:region:account:resource`). */
export const arnRegion = (arn: string): string | undefined => arn.split(":")[3];

/** The services of a file whose blocks are maps, with their names (each field may still be missing). */
export const servicesOf = (parts: ValidParts) => Object.entries(parts.services ?? {}) as [string, ServiceParts][];

/** A load balancer as the file writes it: a service's own (`ingress`) or the environment's (top-level `ingress`). */
export interface LoadBalancerParts {
  /** Where it is written. */
  at: string[];
  scheme?: "internal" | "internet-facing" | undefined;
  certificate?: string | undefined;
  allowedCidrs?: string[] | undefined;
}

/** Every load balancer of a file: the services' Network Load Balancers, then the environment's Application Load Balancer. */
export const loadBalancersOf = (parts: ValidParts): LoadBalancerParts[] => [
  ...servicesOf(parts).flatMap(([name, s]) => (s.ingress ? [{ at: ["services", name, "ingress"], ...s.ingress }] : [])),
  ...(parts.ingress ? [{ at: ["ingress"], ...parts.ingress }] : []),
];
