/**
 * Terraform's `lifecycle.replace_triggered_by`, applied to predicted changes: a resource is replaced when a
 * resource it names is updated or replaced, or, when it names an attribute (`aws_x.y.attr`), when that attribute
 * changes value. Only an update or a replacement of the named resource triggers: its creation or removal does not
 * (Terraform, EvaluateReplaceTriggeredBy). A replacement may trigger another, so the rule is applied until nothing
 * more is triggered. meshform uses it where AWS cannot update a value in place: a `terraform_data` holds the value
 * and the ECS service names it (Service Connect's appProtocol).
 */
import type { AttributeChange, Json, ResourceChange } from "./diff";
import { resources } from "./stack";

interface Trigger {
  /** `<type>.<name>` of the resource named. */
  address: string;
  /** The attribute named after it (`input.appProtocol`), if any. */
  path?: string;
}

/** `terraform_data.x`, `aws_x.y[0].attr`, bare or inside `${…}`: what a replace_triggered_by entry names. */
export function parseTrigger(entry: unknown): Trigger | undefined {
  if (typeof entry !== "string") return undefined;
  const bare = entry.replace(/^\$\{(.*)\}$/, "$1");
  const m = /^([a-z][a-z0-9_]*)\.([^.[\]]+)(?:\[[^\]]*\])?(?:\.(.+))?$/.exec(bare);
  if (!m) return undefined;
  return { address: `${m[1]}.${m[2]}`, ...(m[3] !== undefined && { path: m[3] }) };
}

/** Whether an attribute change is at `path` or inside it. */
const under = (change: AttributeChange, path: string) =>
  change.path === path || change.path.startsWith(`${path}.`) || change.path.startsWith(`${path}[`);

const shown = (v: unknown) => (v === undefined ? "absent" : JSON.stringify(v));

/** What changed in the named resource, for the reason: `input.appProtocol "http" → "grpc"`. */
function what(target: ResourceChange, path: string | undefined): string {
  if (target.action === "replace" && target.attributes.length === 0) return "replaced";
  const relevant = target.attributes.filter((a) => path === undefined || under(a, path));
  const first = relevant
    .slice(0, 2)
    .map((a) => `${a.path} ${a.kind === "changed" ? `${shown(a.before)} → ${shown(a.after)}` : a.kind}`)
    .join(", ");
  return relevant.length > 2 ? `${first}, …` : first;
}

/** The reason a trigger fires, or undefined when the named resource's change does not trigger it. */
function fired(trigger: Trigger, target: ResourceChange | undefined): string | undefined {
  if (!target || (target.action !== "update" && target.action !== "replace")) return undefined;
  // A named attribute triggers when its value changes; a replacement known by no attribute changes them all.
  const path = trigger.path;
  const changed = path === undefined || target.attributes.length === 0 || target.attributes.some((a) => under(a, path));
  if (!changed) return undefined;
  const named = path === undefined ? trigger.address : `${trigger.address}.${path}`;
  const detail = what(target, path);
  return `replace_triggered_by ${named}${detail ? ` (${detail})` : ""}`;
}

const byAddress = (a: ResourceChange, b: ResourceChange) => (a.type === b.type ? (a.name < b.name ? -1 : 1) : a.type < b.type ? -1 : 1);

/**
 * `changes` (from one stack to `after`) with the replacements `after`'s replace_triggered_by entries add: an
 * updated resource becomes replaced, an unchanged one is listed as replaced, each with the trigger as its reason.
 */
export function withTriggeredReplacements(after: Json | undefined, changes: readonly ResourceChange[]): ResourceChange[] {
  const out = new Map(changes.map((c) => [c.address, c]));
  const triggering = Object.keys(after?.resource ?? {}).flatMap((type) =>
    resources(after, type)
      .map(([name, body]) => ({ type, name, triggers: ((body.lifecycle?.replace_triggered_by ?? []) as unknown[]).map(parseTrigger) }))
      .filter((r) => r.triggers.length > 0),
  );
  for (let more = true; more; ) {
    more = false;
    for (const { type, name, triggers } of triggering) {
      const address = `${type}.${name}`;
      const own = out.get(address);
      if (own && own.action !== "update") continue; // made, removed or replaced already
      const reasons = triggers.flatMap((t) => (t ? (fired(t, out.get(t.address)) ?? []) : []));
      if (reasons.length === 0) continue;
      out.set(address, { ...(own ?? { address, type, name, attributes: [] }), action: "replace", replacedBy: reasons });
      more = true;
    }
  }
  return [...out.values()].sort(byAddress);
}
