/**
 * IAM statements that allow more after a change (MF911), keyed as the resource changes show them, each at the
 * YAML field that asked for it: a task role's `permissions` entry (statements App1, App2, …), an execution
 * role's secret or key (Secrets, Parameters, SecretsKeys), the dead-letter queue, FireLens's logs; else the service.
 */
import type { ResolvedEnvironment, ResolvedService } from "../config/model";
import type { Json } from "./diff";
import { FINDINGS, type Finding } from "./findings";
import { byKey, keyFor, normalizePolicy } from "./identity";
import { ownerOf } from "./owners";
import { addressOf, get, parseJson, resources } from "./stack";

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

/** The statements of a service's `permissions`, one each, in order (stacks/service.ts). */
const APP_STATEMENT = /^Sid=App(\d+)$/;

/** The YAML field a statement meshform writes comes from, by its Sid (stacks/service.ts, constructs/iam.ts). */
function statementField(service: ResolvedService, key: string, added: readonly string[]): (string | number)[] {
  const at = (...path: (string | number)[]) => ["services", service.name, ...path];
  const app = APP_STATEMENT.exec(key);
  if (app) return at("permissions", Number(app[1]) - 1);
  if (key === "Sid=Secrets" || key === "Sid=Parameters") {
    const secret = service.runtime.secrets.find((x) => added.includes(x.resource));
    return secret ? at("secrets", secret.name) : at("secrets");
  }
  if (key === "Sid=SecretsKeys") {
    const i = service.runtime.secretsKmsKeys.findIndex((k) => added.includes(k));
    return i >= 0 ? at("secretsKmsKeys", i) : at("secretsKmsKeys");
  }
  if (key === "Sid=DeadLetters") return at("deadLetterQueue");
  if (key === "Sid=FireLensLogs") return at("logging");
  return at();
}

export function iamFindings(before: Json | undefined, after: Json | undefined, env: ResolvedEnvironment | undefined): Finding[] {
  const out: Finding[] = [];
  for (const [name, p] of resources(after, "aws_iam_role_policy")) {
    const was = get(before, `aws_iam_role_policy.${name}`);
    // A new role's policy comes with a new service; the resource list shows it, but for a permission the YAML gives
    // on every resource. A role given its first policy (a task role that needed nothing before) gains all of it.
    const role = addressOf(p.role);
    const newRole = !was && (!role || !get(before, role));
    const [b, a] = [statements(was?.policy), statements(p.policy)];
    const owner = ownerOf(env, after, p);
    for (const [sid, s] of a) {
      if (newRole && !(APP_STATEMENT.test(sid) && s.resources.has("*"))) continue;
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
        ...(owner && { field: statementField(owner.service, sid, [...actions, ...targets]) }),
      });
    }
  }
  return out;
}
