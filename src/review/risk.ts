/**
 * Risk flags: the changes a reviewer must not miss, each with its reason, read from the two stacks' JSON
 * (so they work for any base, a directory of stacks included) and the resource changes between them.
 */
import { PROVIDERS } from "../providers";
import type { Json, ResourceChange } from "./diff";
import { byKey, keyFor, normalizePolicy } from "./identity";

export interface RiskFlag {
  kind: "stateful" | "egress" | "retries" | "scale-to-zero" | "exposure" | "iam" | "provider-switch";
  /** The resource it concerns, `<type>.<name>`, when there is one. */
  resource?: string;
  reason: string;
}

/** What is lost with each stateful or shared resource type when it is replaced or removed. */
const STATEFUL: Record<string, string> = {
  aws_service_discovery_private_dns_namespace: "every service's DNS name and Service Connect registration lives in this namespace",
  aws_ecr_repository: "its images go with it (tags are immutable, so the running tasks' image cannot be pushed again as is)",
  aws_cloudwatch_log_group: "its logs go with it",
  aws_ecs_cluster: "every ECS service of the environment runs in it",
  aws_appmesh_mesh: "every virtual node, router, route and service lives in it",
  aws_sqs_queue: "the dead letters waiting in it are lost",
};

const resources = (stack: Json | undefined, type: string): [string, Json][] => Object.entries((stack?.resource?.[type] ?? {}) as Json);
const get = (stack: Json | undefined, address: string): Json | undefined => {
  const [type, name] = [address.slice(0, address.indexOf(".")), address.slice(address.indexOf(".") + 1)];
  return stack?.resource?.[type]?.[name];
};

function parseJson(text: unknown): Json | undefined {
  try {
    return typeof text === "string" ? (JSON.parse(text) as Json) : undefined;
  } catch {
    return undefined;
  }
}

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

function retryFlags(before: Json | undefined, after: Json | undefined): RiskFlag[] {
  const out: RiskFlag[] = [];
  const compare = (
    resource: string,
    what: string,
    b: { retries?: number; perTry?: unknown } | undefined,
    a: { retries?: number; perTry?: unknown } | undefined,
  ) => {
    if (b?.retries === undefined) return;
    if (a?.retries === undefined)
      out.push({
        kind: "retries",
        resource,
        reason: `${what}: the retry policy is removed (${b.retries} retries before): every failure now reaches the caller at once`,
      });
    else if (a.retries < b.retries)
      out.push({
        kind: "retries",
        resource,
        reason: `${what}: retries lowered from ${b.retries} to ${a.retries}: more requests fail (or are dead-lettered) during an outage`,
      });
    else if (a.retries > b.retries)
      out.push({
        kind: "retries",
        resource,
        reason: `${what}: retries raised from ${b.retries} to ${a.retries}: a struggling backend gets more load`,
      });
    if (a?.retries !== undefined && a.retries > 0 && a.perTry === undefined)
      out.push({ kind: "retries", resource, reason: `${what}: retries with no per-try timeout, so one hung try holds the call` });
  };
  const routePolicy = (route: Json | undefined) => {
    const spec = route?.spec?.http_route ?? route?.spec?.http2_route;
    const p = spec?.retry_policy;
    return p ? { retries: p.max_retries as number, perTry: p.per_retry_timeout } : route ? {} : undefined;
  };
  for (const [name, route] of resources(before, "aws_appmesh_route")) {
    const after_ = get(after, `aws_appmesh_route.${name}`);
    if (after_) compare(`aws_appmesh_route.${name}`, `route ${route.name}`, routePolicy(route), routePolicy(after_));
  }
  // Under Service Connect the caller retries, from its task definition's variables.
  const [b, a] = [appVariables(before), appVariables(after)];
  for (const [address, vars] of b) {
    const now = a.get(address);
    if (!now) continue;
    for (const key of Object.keys(vars).filter((k) => k.endsWith("_MAX_RETRIES"))) {
      const prefix = key.slice(0, -"_MAX_RETRIES".length);
      const policy = (v: Record<string, string>) =>
        v[key] === undefined
          ? {}
          : {
              retries: Number(v[key]),
              ...(v[`${prefix}_PER_TRY_TIMEOUT_MS`] !== undefined && { perTry: v[`${prefix}_PER_TRY_TIMEOUT_MS`] }),
            };
      compare(address, `calls to ${prefix.toLowerCase().replace(/_/g, "-")}`, policy(vars), policy(now));
    }
  }
  return out;
}

function exposureFlags(before: Json | undefined, after: Json | undefined): RiskFlag[] {
  const out: RiskFlag[] = [];
  for (const [name, s] of resources(after, "aws_ecs_service")) {
    const was = get(before, `aws_ecs_service.${name}`);
    if (s.network_configuration?.assign_public_ip === true && was?.network_configuration?.assign_public_ip !== true) {
      out.push({ kind: "exposure", resource: `aws_ecs_service.${name}`, reason: `${s.name}'s tasks get a public IP` });
    }
  }
  const width = (cidr: unknown) => (typeof cidr === "string" ? Number(cidr.split("/")[1]) : 33);
  for (const [name, rule] of resources(after, "aws_vpc_security_group_ingress_rule")) {
    const was = get(before, `aws_vpc_security_group_ingress_rule.${name}`);
    if (rule.cidr_ipv4 === undefined) continue;
    if (!was || width(rule.cidr_ipv4) < width(was.cidr_ipv4) || rule.from_port !== was.from_port || rule.to_port !== was.to_port) {
      out.push({
        kind: "exposure",
        resource: `aws_vpc_security_group_ingress_rule.${name}`,
        reason: `admits ${rule.cidr_ipv4} on port ${rule.from_port === rule.to_port ? rule.from_port : `${rule.from_port}-${rule.to_port}`}${was ? ` (was ${was.cidr_ipv4})` : ""}`,
      });
    }
  }
  for (const [name, lb] of resources(after, "aws_lb")) {
    const was = get(before, `aws_lb.${name}`);
    if (lb.internal === false && was?.internal !== false)
      out.push({ kind: "exposure", resource: `aws_lb.${name}`, reason: `load balancer ${lb.name} faces the internet` });
  }
  return out;
}

/** Allow statements by the key the resource diff shows them by (identity.ts: Sid, else what they say), actions and resources as sets. */
function statements(policy: unknown): Map<string, { actions: Set<string>; resources: Set<string> }> {
  const doc = normalizePolicy(parseJson(policy)) as Json | undefined;
  const all = ((doc?.Statement ?? []) as Json[]).filter((s) => s?.Effect === "Allow");
  const key = keyFor("Statement", all, []);
  const out = new Map<string, { actions: Set<string>; resources: Set<string> }>();
  if (!key) return out;
  for (const [k, s] of byKey(all, key) as Map<string, Json>)
    out.set(k, { actions: new Set((s.Action ?? []).map(String)), resources: new Set((s.Resource ?? []).map(String)) });
  return out;
}

function iamFlags(before: Json | undefined, after: Json | undefined): RiskFlag[] {
  const out: RiskFlag[] = [];
  for (const [name, p] of resources(after, "aws_iam_role_policy")) {
    const was = get(before, `aws_iam_role_policy.${name}`);
    if (!was) continue; // a new role's policy comes with a new service; the resource list shows it
    const [b, a] = [statements(was.policy), statements(p.policy)];
    for (const [sid, s] of a) {
      const old = b.get(sid);
      const actions = [...s.actions].filter((x) => !old?.actions.has(x));
      const targets = [...s.resources].filter((x) => !old?.resources.has(x));
      if (actions.length === 0 && targets.length === 0) continue;
      const what = [actions.length > 0 && `actions ${actions.join(", ")}`, targets.length > 0 && `resources ${targets.join(", ")}`]
        .filter(Boolean)
        .join(" and ");
      out.push({
        kind: "iam",
        resource: `aws_iam_role_policy.${name}`,
        reason: `${p.name}: statement [${sid}] ${old ? "now also allows" : "is new, allowing"} ${what}${s.resources.has("*") ? " (on every resource)" : ""}`,
      });
    }
  }
  return out;
}

const PROVIDER_SWITCH_STEPS =
  "an ECS service cannot be in two meshes at once, so applying this in place drops traffic while tasks are replaced; " +
  "AWS recommends blue/green: deploy a copy of the environment under a new name on the new provider, shift traffic to it, then destroy the old one (README: Moving an environment from App Mesh to Service Connect)";

/** The provider a synthesized stack was made under, as far as its resources tell. */
const providerOfStack = (stack: Json) => Object.values(PROVIDERS).find((p) => p.madeStack(stack));

export function riskFlags(before: Json | undefined, after: Json | undefined, changes: readonly ResourceChange[]): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const [was, now] = [before && providerOfStack(before), after && providerOfStack(after)];
  if (was && now && was !== now) {
    flags.push({ kind: "provider-switch", reason: `${was.displayName} → ${now.displayName}: ${PROVIDER_SWITCH_STEPS}` });
  }
  for (const c of changes) {
    if ((c.action === "replace" || c.action === "delete") && STATEFUL[c.type]) {
      flags.push({
        kind: "stateful",
        resource: c.address,
        reason: `${c.action === "replace" ? "replaced" : "removed"}: ${STATEFUL[c.type]}`,
      });
    }
  }
  for (const [name, mesh] of resources(after, "aws_appmesh_mesh")) {
    const was = get(before, `aws_appmesh_mesh.${name}`);
    if (mesh.spec?.egress_filter?.type === "ALLOW_ALL" && was?.spec?.egress_filter?.type !== "ALLOW_ALL") {
      flags.push({
        kind: "egress",
        resource: `aws_appmesh_mesh.${name}`,
        reason: "egress opened (ALLOW_ALL): tasks may now reach any address, not only the mesh's services and named external services",
      });
    }
  }
  flags.push(...retryFlags(before, after));
  for (const [name, s] of resources(after, "aws_ecs_service")) {
    const was = get(before, `aws_ecs_service.${name}`);
    if (s.desired_count === 0 && (was === undefined || was.desired_count !== 0)) {
      flags.push({
        kind: "scale-to-zero",
        resource: `aws_ecs_service.${name}`,
        reason: `${s.name} scaled to 0 tasks${was ? ` (from ${was.desired_count})` : ""}: it answers nothing, and its callers' requests fail or are dead-lettered`,
      });
    }
  }
  flags.push(...exposureFlags(before, after), ...iamFlags(before, after));
  return flags;
}
