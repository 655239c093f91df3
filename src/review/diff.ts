/**
 * What changes between two synthesized stacks, resource by resource: added, changed, replaced, removed, with
 * the attributes that differ. JSON-string attributes (container definitions, policies) are compared parsed.
 * Lists are compared by their elements' natural keys (identity.ts): a variable, container, port mapping or IAM
 * statement is added, removed or changed, never "renamed" because another moved up. `depends_on` and a list in
 * another order with the same elements change nothing Terraform applies: they are reported apart, as ordering.
 * Without a plan, a replacement is predicted from the attributes Terraform cannot change in place
 * (REPLACED_BY) and from `lifecycle.replace_triggered_by` (triggers.ts); `--plan` gives Terraform's own answer
 * (plan.ts). `lifecycle` itself, like `depends_on`, tells Terraform how to apply, not what: nothing to apply.
 */
import { byKey, keyFor, normalizePolicy, ORDERED } from "./identity";
import { withTriggeredReplacements } from "./triggers";

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON is walked by attribute name, whatever its shape
export type Json = Record<string, any>;

export type Action = "create" | "update" | "replace" | "delete";

export interface AttributeChange {
  /** `container_definitions[name=app].environment[name=DATA_PROCESSING_URL]`: list elements by their key. */
  path: string;
  /** A list element, key or value that is new, gone, or has another value. */
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

export interface ResourceChange {
  /** `<type>.<name>`, as Terraform addresses it inside the stack. */
  address: string;
  type: string;
  name: string;
  action: Action;
  attributes: AttributeChange[];
  /** Why it is replaced: the attributes that force it (predicted, or Terraform's replace_paths). */
  replacedBy?: string[];
  /** Whether the action came from a Terraform plan rather than from comparing the JSON. */
  fromPlan?: boolean;
}

/** A resource whose only differences are of order or lifecycle: `depends_on`, `lifecycle`, or a list with the same elements in another order. */
export interface OrderingChange {
  address: string;
  paths: string[];
}

/** Attributes that hold JSON as a string: compared parsed. */
export const JSON_STRING_ATTRIBUTES = new Set(["container_definitions", "policy", "assume_role_policy"]);

/**
 * Top-level attributes whose change makes Terraform replace the resource (the provider's ForceNew), for the
 * resource types meshform writes; "*" means any change (a task definition revision is a new resource).
 */
export const REPLACED_BY: Record<string, readonly string[]> = {
  aws_ecs_task_definition: ["*"],
  aws_ecs_service: ["name", "cluster", "launch_type"],
  aws_ecs_cluster: ["name"],
  aws_ecr_repository: ["name"],
  aws_cloudwatch_log_group: ["name"],
  aws_service_discovery_private_dns_namespace: ["name", "vpc"],
  aws_service_discovery_service: ["name"],
  aws_appmesh_mesh: ["name"],
  aws_appmesh_virtual_node: ["name", "mesh_name"],
  aws_appmesh_virtual_router: ["name", "mesh_name"],
  aws_appmesh_virtual_service: ["name", "mesh_name"],
  aws_appmesh_route: ["name", "mesh_name", "virtual_router_name"],
  aws_iam_role: ["name"],
  aws_iam_role_policy: ["name", "role"],
  aws_security_group: ["name", "vpc_id", "description"],
  aws_lb: ["name", "internal", "load_balancer_type"],
  aws_lb_target_group: ["name", "port", "protocol", "target_type", "vpc_id"],
  aws_sqs_queue: ["name"],
  terraform_data: ["triggers_replace"],
};

const parsed = (key: string, value: unknown) => {
  if (JSON_STRING_ATTRIBUTES.has(key) && typeof value === "string") {
    try {
      const json = JSON.parse(value) as unknown;
      return key === "container_definitions" ? json : normalizePolicy(json);
    } catch {
      return value;
    }
  }
  return value;
};

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object";
const isPlain = (v: unknown) => v === null || typeof v !== "object";

/** The attribute a path ends in, list keys and indexes left out: `environment` for `…environment[name=A]`. */
const lastKey = (path: string) => /([^.[\]]+)(?:\[[^\]]*\])*$/.exec(path)?.[1] ?? "";

/** Where differences of order only were found, when the caller wants to know. */
interface Context {
  ordering?: string[];
}

/** Two lists of plain values as sets: what is only in one, as added or removed elements; nothing for another order. */
function diffSet(before: readonly unknown[], after: readonly unknown[], path: string, ctx: Context): AttributeChange[] {
  const left = [...before];
  const added: unknown[] = [];
  for (const a of after) {
    const i = left.findIndex((b) => Object.is(b, a));
    if (i >= 0) left.splice(i, 1);
    else added.push(a);
  }
  const out: AttributeChange[] = [
    ...left.map((b) => ({ path, kind: "removed" as const, before: b })),
    ...added.map((a) => ({ path, kind: "added" as const, after: a })),
  ];
  if (out.length === 0 && before.some((b, i) => !Object.is(b, after[i]))) ctx.ordering?.push(path);
  return out;
}

function diffList(before: readonly unknown[], after: readonly unknown[], path: string, ctx: Context): AttributeChange[] {
  const attribute = lastKey(path);
  const key = keyFor(attribute, before, after);
  if (key) {
    const [b, a] = [byKey(before, key), byKey(after, key)];
    const out: AttributeChange[] = [];
    for (const [k, v] of b) {
      const at = `${path}[${k}]`;
      if (!a.has(k)) out.push({ path: at, kind: "removed", before: v });
      else out.push(...diffValues(v, a.get(k), at, ctx));
    }
    for (const [k, v] of a) if (!b.has(k)) out.push({ path: `${path}[${k}]`, kind: "added", after: v });
    if (out.length === 0 && [...b.keys()].some((k, i) => [...a.keys()][i] !== k)) ctx.ordering?.push(path);
    return out;
  }
  if (!ORDERED.has(attribute) && before.every(isPlain) && after.every(isPlain)) return diffSet(before, after, path, ctx);
  const out: AttributeChange[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) out.push(...diffValues(before[i], after[i], `${path}[${i}]`, ctx));
  return out;
}

/**
 * Every difference between `before` and `after`, with its path (`a.b[name=x].c`): lists by their elements'
 * keys, a list that appears or goes as its elements added or removed. Differences of order only are not
 * changes; they are pushed to `ctx.ordering` when given.
 */
export function diffValues(before: unknown, after: unknown, path = "", ctx: Context = {}): AttributeChange[] {
  if (Object.is(before, after)) return [];
  if (Array.isArray(before) || Array.isArray(after)) {
    if ((Array.isArray(before) || before === undefined) && (Array.isArray(after) || after === undefined))
      return diffList((before as unknown[] | undefined) ?? [], (after as unknown[] | undefined) ?? [], path, ctx);
  } else if (isObject(before) && isObject(after)) {
    const out: AttributeChange[] = [];
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      const sub = path ? `${path}.${key}` : key;
      out.push(...diffValues(parsed(key, before[key]), parsed(key, after[key]), sub, ctx));
    }
    return out;
  }
  if (before === undefined) return [{ path, kind: "added", after }];
  if (after === undefined) return [{ path, kind: "removed", before }];
  return [{ path, kind: "changed", before, after }];
}

/** A resource's body without cdktf's metadata. */
const body = (r: Json): Json => {
  const { "//": _metadata, ...rest } = r;
  return rest;
};

function predictedReplacement(type: string, attributes: AttributeChange[]): string[] {
  const forcing = REPLACED_BY[type] ?? [];
  if (forcing.includes("*")) return attributes.length > 0 ? ["(any change: a new revision)"] : [];
  return [...new Set(attributes.map((a) => a.path.split(/[.[]/)[0]!).filter((top) => forcing.includes(top)))];
}

/** Meta-arguments that order resources or govern how Terraform changes them, rather than configure them: nothing to apply. */
const ORDERING_ATTRIBUTES = new Set(["depends_on", "lifecycle"]);

/**
 * The resource-level changes from one stack's JSON to another's (either may be absent: a new or removed
 * stack), replacements triggered by `lifecycle.replace_triggered_by` included, and the resources that differ
 * only in order (`depends_on`, `lifecycle`, a list reordered), which are not changes.
 */
export function compareStacks(
  before: Json | undefined,
  after: Json | undefined,
): { changes: ResourceChange[]; ordering: OrderingChange[] } {
  const changes: ResourceChange[] = [];
  const ordering: OrderingChange[] = [];
  const types = [...new Set([...Object.keys(before?.resource ?? {}), ...Object.keys(after?.resource ?? {})])].sort();
  for (const type of types) {
    const b: Json = before?.resource?.[type] ?? {};
    const a: Json = after?.resource?.[type] ?? {};
    for (const name of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
      const address = `${type}.${name}`;
      if (!(name in b)) changes.push({ address, type, name, action: "create", attributes: [] });
      else if (!(name in a)) changes.push({ address, type, name, action: "delete", attributes: [] });
      else {
        const ctx: Context = { ordering: [] };
        const [was, now] = [body(b[name]), body(a[name])];
        for (const key of ORDERING_ATTRIBUTES) {
          if (JSON.stringify(was[key]) !== JSON.stringify(now[key])) ctx.ordering!.push(key);
          delete was[key];
          delete now[key];
        }
        const attributes = diffValues(was, now, "", ctx);
        if (attributes.length === 0) {
          if (ctx.ordering!.length > 0) ordering.push({ address, paths: [...new Set(ctx.ordering)] });
          continue;
        }
        const replacedBy = predictedReplacement(type, attributes);
        changes.push({
          address,
          type,
          name,
          action: replacedBy.length > 0 ? "replace" : "update",
          attributes,
          ...(replacedBy.length > 0 && { replacedBy }),
        });
      }
    }
  }
  const all = withTriggeredReplacements(after, changes);
  const changed = new Set(all.map((c) => c.address));
  return { changes: all, ordering: ordering.filter((o) => !changed.has(o.address)) };
}

/** The resource-level changes from one stack's JSON to another's (compareStacks without the ordering). */
export const diffStacks = (before: Json | undefined, after: Json | undefined): ResourceChange[] => compareStacks(before, after).changes;
