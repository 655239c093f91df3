/**
 * What changes between two synthesized stacks, resource by resource: added, changed, replaced, removed, with
 * the attributes that differ. JSON-string attributes (container definitions, policies) are compared parsed,
 * element by element, not as one long string. Without a plan, a replacement is predicted from the attributes
 * Terraform cannot change in place (REPLACED_BY); `--plan` gives Terraform's own answer (plan.ts).
 */
// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON is walked by attribute name, whatever its shape
export type Json = Record<string, any>;

export type Action = "create" | "update" | "replace" | "delete";

export interface AttributeChange {
  path: string;
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
};

const parsed = (key: string, value: unknown) => {
  if (JSON_STRING_ATTRIBUTES.has(key) && typeof value === "string") {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
};

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object";

/** Every leaf that differs between `before` and `after`, with its path (`a.b[0].c`). */
export function diffValues(before: unknown, after: unknown, path = ""): AttributeChange[] {
  if (Object.is(before, after)) return [];
  if (isObject(before) && isObject(after) && Array.isArray(before) === Array.isArray(after)) {
    const out: AttributeChange[] = [];
    if (Array.isArray(before)) {
      const a = after as unknown[];
      for (let i = 0; i < Math.max(before.length, a.length); i++) out.push(...diffValues(before[i], a[i], `${path}[${i}]`));
    } else {
      for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
        const sub = path ? `${path}.${key}` : key;
        out.push(...diffValues(parsed(key, before[key]), parsed(key, (after as Json)[key]), sub));
      }
    }
    return out;
  }
  return [{ path, ...(before !== undefined && { before }), ...(after !== undefined && { after }) }];
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

/** The resource-level changes from one stack's JSON to another's (either may be absent: a new or removed stack). */
export function diffStacks(before: Json | undefined, after: Json | undefined): ResourceChange[] {
  const out: ResourceChange[] = [];
  const types = [...new Set([...Object.keys(before?.resource ?? {}), ...Object.keys(after?.resource ?? {})])].sort();
  for (const type of types) {
    const b: Json = before?.resource?.[type] ?? {};
    const a: Json = after?.resource?.[type] ?? {};
    for (const name of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
      const address = `${type}.${name}`;
      if (!(name in b)) out.push({ address, type, name, action: "create", attributes: [] });
      else if (!(name in a)) out.push({ address, type, name, action: "delete", attributes: [] });
      else {
        const attributes = diffValues(body(b[name]), body(a[name]));
        if (attributes.length === 0) continue;
        const replacedBy = predictedReplacement(type, attributes);
        out.push({
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
  return out;
}
