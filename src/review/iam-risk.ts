/** IAM statements that allow more after a change (MF911), keyed as the resource changes show them. */
import type { ResolvedEnvironment } from "../config/model";
import type { Json } from "./diff";
import { FINDINGS, type Finding } from "./findings";
import { byKey, keyFor, normalizePolicy } from "./identity";
import { ownerOf } from "./owners";
import { get, parseJson, resources } from "./stack";

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

export function iamFindings(before: Json | undefined, after: Json | undefined, env: ResolvedEnvironment | undefined): Finding[] {
  const out: Finding[] = [];
  for (const [name, p] of resources(after, "aws_iam_role_policy")) {
    const was = get(before, `aws_iam_role_policy.${name}`);
    if (!was) continue; // a new role's policy comes with a new service; the resource list shows it
    const [b, a] = [statements(was.policy), statements(p.policy)];
    const owner = ownerOf(env, after, p);
    for (const [sid, s] of a) {
      const old = b.get(sid);
      const actions = [...s.actions].filter((x) => !old?.actions.has(x));
      const targets = [...s.resources].filter((x) => !old?.resources.has(x));
      if (actions.length === 0 && targets.length === 0) continue;
      const what = [actions.length > 0 && `actions ${actions.join(", ")}`, targets.length > 0 && `resources ${targets.join(", ")}`]
        .filter(Boolean)
        .join(" and ");
      out.push({
        rule: FINDINGS.iamWidened,
        resource: `aws_iam_role_policy.${name}`,
        message: `${p.name}: statement [${sid}] ${old ? "now also allows" : "is new, allowing"} ${what}${s.resources.has("*") ? " (on every resource)" : ""}`,
        ...(owner && { field: ["services", owner.service.name] }),
      });
    }
  }
  return out;
}
