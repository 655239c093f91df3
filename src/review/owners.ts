/**
 * Which service of the environment a resource of its stack belongs to, read from the names meshform derives
 * (config/names.ts: `<env>-<project>-<service>…`, the ECR repository, the log group), so a finding about a
 * resource can point at the YAML that made it. References (`${aws_iam_role.x.name}`) are followed to the
 * resource they name.
 */
import { backendPrefix } from "../config/app-environment";
import type { ResolvedEnvironment, ResolvedService } from "../config/model";
import type { Json } from "./diff";
import { referenced } from "./stack";

export interface Owner {
  service: ResolvedService;
  /** The version, for a resource made per version. */
  version?: string;
  /** What follows the service's name in the resource's name (`route`, `main` for a route named main, `exec`). */
  rest?: string;
}

/** The name a resource is known by in AWS: its own, or that of the role or security group it belongs to. */
function nameOf(stack: Json | undefined, body: Json | undefined, depth = 0): string | undefined {
  if (!body || depth > 2) return undefined;
  // A role's policy is named for what it allows, so its role tells whose it is.
  for (const key of ["role", "security_group_id"]) {
    const target = referenced(stack, body[key]);
    if (target) return nameOf(stack, target, depth + 1);
  }
  for (const key of ["name", "family"]) if (typeof body[key] === "string") return body[key];
  return undefined;
}

/** The service (and version) of `body`, a resource of `stack`, in `env`; undefined for the environment's own resources. */
export function ownerOf(env: ResolvedEnvironment | undefined, stack: Json | undefined, body: Json | undefined): Owner | undefined {
  const name = nameOf(stack, body);
  if (!env || name === undefined) return undefined;
  // Longest first: data-processing's resources also start with the name of a service called data.
  for (const service of [...env.services].sort((a, b) => b.name.length - a.name.length)) {
    const { names } = service;
    // ELB names longer than 32 characters end in a hash, so they are matched whole.
    if ([names.ecrRepository, names.logGroup, names.loadBalancer, names.alternateTargetGroup].includes(name)) return { service };
    const base = names.ecsService;
    if (name !== base && !name.startsWith(`${base}-`)) continue;
    const rest = name === base ? undefined : name.slice(base.length + 1);
    const version = service.versions.find((v) => v.name !== undefined && (rest === v.name || rest?.startsWith(`${v.name}-`)))?.name;
    return { service, ...(version !== undefined && { version }), ...(rest !== undefined && { rest }) };
  }
  return undefined;
}

/** The service whose variables start with `prefix` (`DATA_PROCESSING` → data-processing). */
export const serviceByPrefix = (env: ResolvedEnvironment | undefined, prefix: string) =>
  env?.services.find((s) => backendPrefix(s.name) === prefix);

/** The YAML path of a service's retry policy field: the shorthand `route`, or the named route of `routes`. */
export function retryField(service: ResolvedService, field: string, routeName?: string): (string | number)[] {
  const index = routeName === undefined ? -1 : service.routes.findIndex((r) => r.name === routeName);
  if (index >= 0) return ["services", service.name, "routes", index, "retryPolicy", field];
  return ["services", service.name, "route", "retryPolicy", field];
}
