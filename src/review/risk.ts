/**
 * Risk findings: the changes a reviewer must not miss, each with its rule (MF9xx), reason, resource and the YAML
 * field that caused it. Read from the two stacks' JSON (so they work for any base, a directory of stacks
 * included) and the resource changes between them; the after-change model (`env`) says which service and
 * field a resource comes from (owners.ts). Each area's findings live in a file of its own: who may reach the
 * tasks (network-risk.ts), IAM (iam-risk.ts), the containers' runtime (runtime-risk.ts), a Service Connect
 * protocol change (protocol-risk.ts).
 */
import { backendPrefix, backendVariables } from "../config/app-environment";
import type { ResolvedEnvironment } from "../config/model";
import { PROVIDERS } from "../providers";
import type { Json, ResourceChange } from "./diff";
import { FINDINGS, type Finding } from "./findings";
import { iamFindings } from "./iam-risk";
import { exposureFindings } from "./network-risk";
import { ownerOf, retryField, serviceByPrefix } from "./owners";
import { protocolFindings } from "./protocol-risk";
import { runtimeFindings } from "./runtime-risk";
import { get, parseJson, resources } from "./stack";

/** What is lost with each stateful or shared resource type when it is replaced or removed. */
const STATEFUL: Record<string, string> = {
  aws_service_discovery_private_dns_namespace: "every service's DNS name and Service Connect registration lives in this namespace",
  aws_ecr_repository: "its images go with it (tags are immutable, so the running tasks' image cannot be pushed again as is)",
  aws_cloudwatch_log_group: "its logs go with it",
  aws_ecs_cluster: "every ECS service of the environment runs in it",
  aws_appmesh_mesh: "every virtual node, router, route and service lives in it",
  aws_sqs_queue: "the dead letters waiting in it are lost",
  aws_vpclattice_service_network: "every Lattice service of the environment is reached through it, and its auth policy goes with it",
  aws_vpclattice_service: "its domain name changes: callers reach it only once a new deployment gives them the new URL",
};

/** The field whose change replaces a stateful resource of the environment itself (its name derives from it). */
const STATEFUL_FIELD: Record<string, (string | number)[]> = {
  aws_service_discovery_private_dns_namespace: ["internalDomain"],
  aws_ecs_cluster: ["project"],
  aws_appmesh_mesh: ["project"],
  aws_vpclattice_service_network: ["project"],
};

/** The app container's variables of each task definition, by address. */
function appVariables(stack: Json | undefined): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const [name, task] of resources(stack, "aws_ecs_task_definition")) {
    const containers = parseJson(task.container_definitions) as Json[] | undefined;
    const app = containers?.find((c) => c.name === "app");
    if (app)
      out.set(`aws_ecs_task_definition.${name}`, Object.fromEntries(((app.environment ?? []) as Json[]).map((e) => [e.name, e.value])));
  }
  return out;
}

interface Policy {
  retries?: number;
  perTry?: unknown;
}

function retryFindings(before: Json | undefined, after: Json | undefined, env: ResolvedEnvironment | undefined): Finding[] {
  const out: Finding[] = [];
  const compare = (
    resource: string,
    what: string,
    b: Policy | undefined,
    a: Policy | undefined,
    field: (f: string) => Finding["field"],
  ) => {
    if (b?.retries === undefined) return;
    const at = (f: string) => {
      const path = field(f);
      return path ? { field: path } : {};
    };
    if (a?.retries === undefined)
      out.push({
        rule: FINDINGS.retriesRemoved,
        resource,
        message: `${what}: the retry policy is removed (${b.retries} retries before): every failure now reaches the caller at once`,
        ...at("maxRetries"),
      });
    else if (a.retries < b.retries)
      out.push({
        rule: FINDINGS.retriesLowered,
        resource,
        message: `${what}: retries lowered from ${b.retries} to ${a.retries}: more requests fail (or are dead-lettered) during an outage`,
        ...at("maxRetries"),
      });
    else if (a.retries > b.retries)
      out.push({
        rule: FINDINGS.retriesRaised,
        resource,
        message: `${what}: retries raised from ${b.retries} to ${a.retries}: a struggling backend gets more load`,
        ...at("maxRetries"),
      });
    if (a?.retries !== undefined && a.retries > 0 && a.perTry === undefined)
      out.push({
        rule: FINDINGS.noPerTryTimeout,
        resource,
        message: `${what}: retries with no per-try timeout, so one hung try holds the call`,
        ...at("perRetryTimeout"),
      });
  };
  const routePolicy = (route: Json | undefined): Policy | undefined => {
    const spec = route?.spec?.http_route ?? route?.spec?.http2_route;
    const p = spec?.retry_policy;
    return p ? { retries: p.max_retries as number, perTry: p.per_retry_timeout } : route ? {} : undefined;
  };
  for (const [name, route] of resources(before, "aws_appmesh_route")) {
    const now = get(after, `aws_appmesh_route.${name}`);
    if (!now) continue;
    const owner = ownerOf(env, after, now);
    // A route's name is its service's, then the route's name (`main`) or `route` for the shorthand.
    const field = (f: string) => owner && retryField(owner.service, f, owner.rest);
    compare(`aws_appmesh_route.${name}`, `route ${route.name}`, routePolicy(route), routePolicy(now), field);
  }
  // Under Service Connect the caller retries, from its task definition's variables.
  const [b, a] = [appVariables(before), appVariables(after)];
  for (const [address, vars] of b) {
    const now = a.get(address);
    if (!now) continue;
    for (const key of Object.keys(vars).filter((k) => k.endsWith("_MAX_RETRIES"))) {
      const prefix = key.slice(0, -"_MAX_RETRIES".length);
      const policy = (v: Record<string, string>): Policy =>
        v[key] === undefined
          ? {}
          : {
              retries: Number(v[key]),
              ...(v[`${prefix}_PER_TRY_TIMEOUT_MS`] !== undefined && { perTry: v[`${prefix}_PER_TRY_TIMEOUT_MS`] }),
            };
      // The policy is the backend's: its route's retryPolicy, which every caller is given.
      const backend = serviceByPrefix(env, prefix);
      compare(
        address,
        `calls to ${backend?.name ?? prefix.toLowerCase().replace(/_/g, "-")}`,
        policy(vars),
        policy(now),
        (f) => backend && retryField(backend, f),
      );
    }
  }
  return out;
}

/**
 * A backend (in the mesh or outside it) a service now calls: its task definition gains the backend's URL
 * variable. A new dependency: the backend's failures and latency reach the service's clients.
 */
function backendFindings(before: Json | undefined, after: Json | undefined, env: ResolvedEnvironment | undefined): Finding[] {
  const out: Finding[] = [];
  if (!env) return out;
  const [b, a] = [appVariables(before), appVariables(after)];
  for (const [address, vars] of a) {
    const was = b.get(address);
    if (!was) continue; // a new service: the resource list shows all of it
    const owner = ownerOf(env, after, get(after, address));
    if (!owner) continue;
    const s = owner.service;
    s.backends.forEach((backend, i) => {
      const url = backendVariables(backend.service).url;
      if (vars[url] !== undefined && was[url] === undefined)
        out.push({
          rule: FINDINGS.backendAdded,
          resource: address,
          message: `${s.name} now calls ${backend.service} (${url}): its failures and latency reach ${s.name}'s clients`,
          field: ["services", s.name, "backends", i],
        });
    });
    s.externalBackends.forEach((e, i) => {
      const url = `${backendPrefix(e.name)}_URL`;
      if (vars[url] !== undefined && was[url] === undefined)
        out.push({
          rule: FINDINGS.backendAdded,
          resource: address,
          message: `${s.name} now calls ${e.host}:${e.port}, outside the mesh (${url})`,
          field: ["services", s.name, "externalBackends", i],
        });
    });
  }
  return out;
}

const PROVIDER_SWITCH_STEPS =
  "an ECS service cannot be in two meshes at once, so applying this in place drops traffic while tasks are replaced; " +
  'AWS recommends blue/green: deploy a copy of the environment under a new name on the new provider, shift traffic to it, then remove the old one (README: "Deploying", moving an environment off App Mesh)';

/** The provider a synthesized stack was made under, as far as its resources tell. */
const providerOfStack = (stack: Json) => Object.values(PROVIDERS).find((p) => p.madeStack(stack));

/** Every risk the change from `before` to `after` carries, `env` being the after-change model (for the YAML fields). */
export function riskFindings(
  before: Json | undefined,
  after: Json | undefined,
  changes: readonly ResourceChange[],
  env?: ResolvedEnvironment,
): Finding[] {
  const out: Finding[] = [];
  const [was, now] = [before && providerOfStack(before), after && providerOfStack(after)];
  if (was && now && was !== now) {
    out.push({
      rule: FINDINGS.providerSwitch,
      message: `${was.displayName} → ${now.displayName}: ${PROVIDER_SWITCH_STEPS}`,
      field: ["mesh", "provider"],
    });
  }
  for (const c of changes) {
    if ((c.action === "replace" || c.action === "delete") && STATEFUL[c.type]) {
      const owner = ownerOf(env, after ?? before, get(after, c.address) ?? get(before, c.address));
      // A resource of the environment's own is renamed (replaced) by the field its name derives from, and removed
      // by a provider switch (the mesh) or by the last service that needed it going (the dead-letter queue).
      const removedBy = was && now && was !== now ? ["mesh", "provider"] : ["services"];
      const field = owner ? ["services", owner.service.name] : c.action === "delete" ? removedBy : STATEFUL_FIELD[c.type];
      out.push({
        rule: FINDINGS.stateful,
        resource: c.address,
        message: `${c.action === "replace" ? "replaced" : "removed"}: ${STATEFUL[c.type]}`,
        ...(field && { field }),
      });
    }
  }
  for (const [name, mesh] of resources(after, "aws_appmesh_mesh")) {
    const was = get(before, `aws_appmesh_mesh.${name}`);
    if (mesh.spec?.egress_filter?.type === "ALLOW_ALL" && was?.spec?.egress_filter?.type !== "ALLOW_ALL") {
      out.push({
        rule: FINDINGS.egressOpened,
        resource: `aws_appmesh_mesh.${name}`,
        message: "egress opened (ALLOW_ALL): tasks may now reach any address, not only the mesh's services and named external services",
        field: ["mesh", "egress"],
      });
    }
  }
  out.push(...retryFindings(before, after, env));
  for (const [name, s] of resources(after, "aws_ecs_service")) {
    const was = get(before, `aws_ecs_service.${name}`);
    if (s.desired_count === 0 && (was === undefined || was.desired_count !== 0)) {
      const owner = ownerOf(env, after, s);
      const field = owner && [
        "services",
        owner.service.name,
        ...(owner.version === undefined ? [] : ["versions", owner.version]),
        "desiredCount",
      ];
      out.push({
        rule: FINDINGS.scaledToZero,
        resource: `aws_ecs_service.${name}`,
        message: `${s.name} scaled to 0 tasks${was ? ` (from ${was.desired_count})` : ""}: it answers nothing, and its callers' requests fail or are dead-lettered`,
        ...(field && { field }),
      });
    }
  }
  out.push(
    ...exposureFindings(before, after, env),
    ...iamFindings(before, after, env),
    ...backendFindings(before, after, env),
    ...runtimeFindings(before, after, env),
    ...protocolFindings(before, after, changes, env),
  );
  return out;
}
