/**
 * What makes an element of a list the same element before and after a change: its natural key. Lists in a
 * stack are compared by it, not by position, so one variable added to an environment shows as that variable
 * added, not as every later one renamed. The key is told by the list's attribute name (Terraform's blocks and
 * ECS's and IAM's JSON use distinct names), and shown in the path: `environment[name=DATA_PROCESSING_URL]`.
 *
 * Lists of plain values are sets unless their order means something (a command line); a list whose elements
 * have no key is compared by position, as before.
 */

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON is walked by attribute name, whatever its shape
type Json = Record<string, any>;

/** A key and how the path shows it: `name=app`. */
export type KeyOf = (element: Json) => string | undefined;

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const text = (v: unknown) => (v === undefined || v === null ? undefined : typeof v === "object" ? canonical(v) : String(v));
const field =
  (name: string): KeyOf =>
  (e) => {
    const v = text(e[name]);
    return v === undefined ? undefined : `${name}=${v}`;
  };
const either =
  (...keys: KeyOf[]): KeyOf =>
  (e) => {
    for (const k of keys) {
      const v = k(e);
      if (v !== undefined) return v;
    }
    return undefined;
  };

/** JSON with object keys sorted: equal values, equal text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** An IAM statement with no Sid is known by what it says: its effect, actions, resources and principals. */
const statementKey: KeyOf = (s) => {
  if (typeof s.Sid === "string" && s.Sid !== "") return `Sid=${s.Sid}`;
  const actions = [...list(s.Action), ...list(s.NotAction).map((a) => `not ${a}`)].sort();
  const resources = [...list(s.Resource), ...list(s.NotResource).map((r) => `not ${r}`)].sort();
  const rest = canonical({ ...s, Action: undefined, NotAction: undefined, Resource: undefined, NotResource: undefined, Effect: undefined });
  return `${s.Effect ?? "Allow"} ${actions.join(" ")}${resources.length > 0 ? ` on ${resources.join(" ")}` : ""}${rest === "{}" ? "" : ` ${rest}`}`;
};

/** A security group rule (an inline `ingress` or `egress` block) is known by its peer and its ports. */
const ruleKey: KeyOf = (r) => {
  if (r.from_port === undefined && r.to_port === undefined) return undefined;
  const peers = [
    ...list(r.cidr_blocks),
    ...list(r.ipv6_cidr_blocks),
    ...list(r.prefix_list_ids),
    ...list(r.security_groups),
    ...(r.self === true ? ["self"] : []),
  ].sort();
  const ports = r.from_port === r.to_port ? `${r.from_port}` : `${r.from_port}-${r.to_port}`;
  return `${r.protocol ?? "tcp"} ${ports} ${peers.join(" ") || "(no peer)"}`;
};

const portMappingKey: KeyOf = either(field("name"), (p) =>
  p.containerPort === undefined ? undefined : `containerPort=${p.containerPort}/${p.protocol ?? "tcp"}`,
);

/** Keys by attribute name: ECS's container definitions, IAM, Terraform's blocks in the stacks meshform writes. */
const KEYS: Record<string, KeyOf> = {
  // ECS container definitions (JSON): containers and their lists
  container_definitions: field("name"),
  environment: field("name"),
  secrets: field("name"),
  ulimits: field("name"),
  portMappings: portMappingKey,
  mountPoints: field("containerPath"),
  dependsOn: field("containerName"),
  volumesFrom: field("sourceContainer"),
  environmentFiles: field("value"),
  systemControls: field("namespace"),
  extraHosts: field("hostname"),
  // IAM policies (JSON)
  Statement: statementKey,
  // Terraform blocks
  volume: field("name"),
  ingress: ruleKey,
  egress: ruleKey,
  setting: field("name"),
  capacity_provider_strategy: field("capacity_provider"),
  default_capacity_provider_strategy: field("capacity_provider"),
  load_balancer: (l) => `target_group_arn=${l.target_group_arn ?? l.elb_name} ${l.container_name}:${l.container_port}`,
  service_registries: field("registry_arn"),
  service: field("port_name"),
  client_alias: (a) => `${a.dns_name ?? ""}:${a.port}`,
  default_action: either(field("order"), (a) => `type=${a.type} ${a.target_group_arn ?? ""}`.trim()),
  action: either(field("order"), (a) => (a.type === undefined ? undefined : `type=${a.type} ${a.target_group_arn ?? ""}`.trim())),
  rule: field("priority"),
  // App Mesh specs
  backend: (b) => text(b.virtual_service?.virtual_service_name) && `virtual_service=${b.virtual_service.virtual_service_name}`,
  listener: (l) => (l.port_mapping ? `port=${l.port_mapping.port}/${l.port_mapping.protocol}` : undefined),
  weighted_target: (t) => `virtual_node=${t.virtual_node}${t.port === undefined ? "" : `:${t.port}`}`,
  header: field("name"),
  query_parameter: field("name"),
};

/** The attributes whose lists have a key of their own. */
export const KEYED_ATTRIBUTES: readonly string[] = Object.keys(KEYS);

/** Lists of plain values whose order means something: compared by position. Every other such list is a set. */
export const ORDERED = new Set(["command", "entryPoint", "dnsSearchDomains", "dnsServers"]);

/**
 * How the elements of the list at `attribute` are keyed, when every element of both sides has a key:
 * by the attribute's own rule, else by a `name` or `priority` every element has. Undefined: by position.
 */
export function keyFor(attribute: string, before: readonly unknown[], after: readonly unknown[]): KeyOf | undefined {
  const all = [...before, ...after];
  if (all.length === 0 || !all.every(isObject)) return undefined;
  const candidates = [KEYS[attribute], field("name"), field("priority")].filter((k): k is KeyOf => k !== undefined);
  return candidates.find((k) => all.every((e) => k(e as Json) !== undefined));
}

/** The elements of a list by key, in order; a key met twice gets `#2`, `#3`, … so none is lost. */
export function byKey(elements: readonly unknown[], key: KeyOf): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const e of elements) {
    const k = key(e as Json)!;
    let label = k;
    for (let n = 2; out.has(label); n++) label = `${k}#${n}`;
    out.set(label, e);
  }
  return out;
}

/** IAM documents with each statement's Action, NotAction, Resource and NotResource as lists, and Statement as a list. */
export function normalizePolicy(doc: unknown): unknown {
  if (!isObject(doc) || doc.Statement === undefined) return doc;
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).map((s: unknown) => {
    if (!isObject(s)) return s;
    const out: Json = { ...s };
    for (const k of ["Action", "NotAction", "Resource", "NotResource"]) if (typeof out[k] === "string") out[k] = [out[k]];
    return out;
  });
  return { ...doc, Statement: statements };
}
