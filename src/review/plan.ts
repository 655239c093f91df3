/**
 * A Terraform plan as `terraform show -json` writes it, read into resource changes per stack: what CI has
 * after `terraform plan`, and the only authority on what Terraform will replace and why (replace_paths).
 * Addresses inside a module (`module.<env>.<type>.<name>`, as `npm run check:terraform` plans every stack)
 * belong to that stack; others to the stack the plan was named for (`--plan ENV=FILE`).
 */
import type { Action, Json, ResourceChange } from "./diff";
import { FINDINGS, type Finding } from "./findings";

function action(actions: readonly string[]): Action | undefined {
  if (actions.includes("create") && actions.includes("delete")) return "replace";
  if (actions.includes("create")) return "create";
  if (actions.includes("delete")) return "delete";
  if (actions.includes("update")) return "update";
  return undefined; // no-op, read
}

const pathText = (path: readonly (string | number)[]) =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");

/** The plan's changes, by stack name (`defaultStack` for addresses outside any module). */
export function planChanges(plan: Json, defaultStack?: string): Map<string, ResourceChange[]> {
  const out = new Map<string, ResourceChange[]>();
  for (const rc of (plan.resource_changes ?? []) as Json[]) {
    const act = action(rc.change?.actions ?? []);
    if (!act || rc.mode === "data") continue;
    const match = /^module\.([^.[]+)\.(.+)$/.exec(rc.address as string);
    const stack = match ? match[1]! : defaultStack;
    if (stack === undefined) continue;
    const address = match ? match[2]! : (rc.address as string);
    const replacePaths = ((rc.change?.replace_paths ?? []) as (string | number)[][]).map(pathText);
    const change: ResourceChange = {
      address,
      type: rc.type,
      name: rc.name,
      action: act,
      attributes: [],
      fromPlan: true,
      ...(act === "replace" && { replacedBy: replacePaths.length > 0 ? replacePaths : [rc.action_reason ?? "Terraform's decision"] }),
    };
    out.set(stack, [...(out.get(stack) ?? []), change]);
  }
  return out;
}

/** The JSON diff's changes, with each action (and replacement reason) taken from the plan where it has the resource. */
export function withPlan(diffed: readonly ResourceChange[], planned: readonly ResourceChange[]): ResourceChange[] {
  const byAddress = new Map(planned.map((c) => [c.address, c]));
  const merged = diffed.map((c) => {
    const p = byAddress.get(c.address);
    if (!p) return c;
    byAddress.delete(c.address);
    const { replacedBy: predicted, ...rest } = c;
    // The plan says only that triggers replace it; the prediction says which (triggers.ts).
    const triggered = p.replacedBy?.[0] === "replace_by_triggers" && predicted?.some((r) => r.startsWith("replace_triggered_by"));
    const replacedBy = triggered ? predicted : p.replacedBy;
    return { ...rest, action: p.action, fromPlan: true, ...(replacedBy && { replacedBy }) };
  });
  // What only the plan knows of (e.g. a change forced by something outside the JSON) is listed too.
  return [...merged, ...[...byAddress.values()].filter((p) => p.action !== "create" || !diffed.some((c) => c.address === p.address))];
}

/**
 * Whether a plan of one stack was made against empty state (as `check:terraform` plans, from nothing) rather
 * than the state the base deployed: every change a create, some of them of resources the base stack already
 * has. Those the base has, when so; undefined otherwise.
 */
export function plannedFromNothing(planned: readonly ResourceChange[], base: Json | undefined): string[] | undefined {
  if (planned.length === 0 || !planned.every((c) => c.action === "create")) return undefined;
  const existing = planned.filter((c) => base?.resource?.[c.type]?.[c.name] !== undefined).map((c) => c.address);
  return existing.length > 0 ? existing : undefined;
}

/** When the plan was made (`timestamp`, which `terraform show -json` writes since Terraform 1.5), if it says. */
export function planTime(plan: Json): Date | undefined {
  const time = typeof plan.timestamp === "string" ? new Date(plan.timestamp) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : undefined;
}

/** A plan made before the base commit (`committedAt`, when the base is a git ref): it may miss what the base changed. */
export function stalePlan(file: string, time: Date | undefined, base: { label: string; committedAt?: Date }): Finding | undefined {
  if (!time || !base.committedAt || time >= base.committedAt) return undefined;
  return {
    rule: FINDINGS.planStale,
    message: `${file} was planned at ${time.toISOString()}, before the base commit (${base.label}, ${base.committedAt.toISOString()}): it may miss what the base changed since; plan again`,
  };
}

/** A stack's plan that plannedFromNothing() found made against empty state: said, and not used. */
export const emptyStatePlan = (env: string, existing: readonly string[]): Finding => ({
  rule: FINDINGS.planEmptyState,
  message: `the plan of ${env} creates every resource it changes, ${existing.length} of which the base's stack already has: it was made against empty state (as check:terraform plans) or the base was never applied; its actions are not used, the stacks are compared instead`,
});
