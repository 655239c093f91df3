/**
 * `npm run review`: the working tree's environments against a base, as findings and Markdown. Each environment
 * that changed gets its resource changes (by identity, diff.ts), its findings (risks, releases, cost; each
 * located in the after-change YAML and acknowledged there or not), the services, the cost and its change, the
 * call paths. Plans (`--plan`) give Terraform's own actions, unless one was made against empty state; a plan
 * older than the base commit is flagged.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listConfigDir, readConfigBytes } from "../config/config-dir";
import { formatDiagnostic, hasErrors, shown } from "../config/diagnostics";
import { type ParsedFile, parseEntry } from "../config/load";
import type { ResolvedEnvironment } from "../config/model";
import { loadEnvironments } from "../environments";
import { synthesize } from "../synth/synthesize";
import { BaseError, loadBase, readStacks } from "./base";
import { type CostLimit, costFinding, stackCost } from "./cost";
import { compareStacks, type Json, type ResourceChange } from "./diff";
import { bySeverity, type Finding, type FindingLevel, failing, locate } from "./findings";
import { type EnvironmentReview, renderReview } from "./markdown";
import { emptyStatePlan, planChanges, plannedFromNothing, planTime, stalePlan, withPlan } from "./plan";
import { releaseFindings } from "./releases";
import { riskFindings } from "./risk";

export interface ReviewOptions {
  /** A git ref or a directory of stacks. */
  base: string;
  configDir: string;
  /** `--plan` values: `ENV=FILE`, or `FILE` of every stack as modules. */
  plans?: readonly string[];
  maxCostIncrease?: CostLimit;
  /** The level at and above which an unacknowledged finding fails the review. */
  failOn?: FindingLevel;
}

export interface ReviewResult {
  markdown: string;
  /** Every finding, by the environment it is about (undefined: the review as a whole, such as a stale plan). */
  findings: { env?: string; finding: Finding }[];
  /** Those that fail the review at `failOn`. */
  failing: { env?: string; finding: Finding }[];
}

/** The working tree's environments; the config's own warnings print as validate prints them. */
export function environments(configDir: string, only?: string): ResolvedEnvironment[] {
  const { environments, diagnostics } = loadEnvironments(configDir, only);
  for (const d of shown(diagnostics)) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (hasErrors(diagnostics)) throw new BaseError("the config has errors (above); nothing reviewed");
  return environments;
}

/** The environment's file, parsed with positions: where findings are located and acknowledged. */
function parsedFile(configDir: string, env: string): ParsedFile | undefined {
  const entry = listConfigDir(configDir, env).entries[0];
  return entry && parseEntry(entry, readConfigBytes(entry));
}

interface PlanFile {
  file: string;
  time?: Date;
  stacks: Map<string, ResourceChange[]>;
}

/** `--plan` values: `ENV=FILE` for a plan of one stack, or `FILE` whose addresses carry `module.<env>.`. */
function readPlans(values: readonly string[]): PlanFile[] {
  return values.map((value) => {
    const eq = /^([a-z][a-z0-9-]*)=(.+)$/.exec(value);
    const [env, file] = eq ? [eq[1], eq[2]!] : [undefined, value];
    let plan: Json;
    try {
      plan = JSON.parse(readFileSync(file, "utf8")) as Json;
    } catch (err) {
      throw new BaseError(`--plan ${file}: ${(err as Error).message.split("\n")[0]} (want the output of terraform show -json)`);
    }
    const time = planTime(plan);
    return { file, ...(time && { time }), stacks: planChanges(plan, env) };
  });
}

export async function review(options: ReviewOptions): Promise<ReviewResult> {
  const after = environments(options.configDir);
  const base = loadBase(options.base);
  const plans = readPlans(options.plans ?? []);
  const general: { env?: string; finding: Finding }[] = [];
  for (const p of plans) {
    const stale = stalePlan(p.file, p.time, base);
    if (stale) general.push({ finding: stale });
  }
  const planned = new Map<string, ResourceChange[]>();
  for (const p of plans) for (const [stack, changes] of p.stacks) planned.set(stack, [...(planned.get(stack) ?? []), ...changes]);
  const scratch = mkdtempSync(join(tmpdir(), "meshform-review-"));
  try {
    await synthesize(after, scratch);
    const afterStacks = readStacks(scratch);
    const names = [...new Set([...base.stacks.keys(), ...afterStacks.keys()])].sort();
    const reviews: EnvironmentReview[] = [];
    const unchanged: string[] = [];
    for (const name of names) {
      const [b, a] = [base.stacks.get(name), afterStacks.get(name)];
      const { changes: diffed, ordering } = compareStacks(b, a);
      let plan = planned.get(name);
      const existing = plan && plannedFromNothing(plan, b);
      if (existing) {
        general.push({ env: name, finding: emptyStatePlan(name, existing) });
        plan = undefined;
      }
      const changes = plan ? withPlan(diffed, plan) : diffed;
      if (changes.length === 0) {
        unchanged.push(
          ordering.length > 0 ? `${name} (order or lifecycle only: ${ordering.map((o) => `\`${o.address}\``).join(", ")})` : name,
        );
        continue;
      }
      const beforeEnv = base.environments?.get(name);
      const afterEnv = after.find((e) => e.name === name);
      const costs = { ...(a && { after: stackCost(name, a) }), ...(b && { before: stackCost(name, b) }) };
      const findings = [...riskFindings(b, a, changes, afterEnv), ...releaseFindings(b, a, changes, afterEnv)];
      const overBudget = options.maxCostIncrease && costs.after && costFinding(costs.after, costs.before, options.maxCostIncrease);
      if (overBudget) findings.push(overBudget);
      reviews.push({
        name,
        changes,
        ordering,
        findings: locate(findings, afterEnv && parsedFile(options.configDir, name)).sort(bySeverity),
        cost: costs,
        ...(beforeEnv && { before: beforeEnv }),
        ...(afterEnv && { after: afterEnv }),
        planned: plan !== undefined,
      });
    }
    const findings = [...general, ...reviews.flatMap((r) => r.findings.map((finding) => ({ env: r.name, finding })))];
    const failed = options.failOn ? findings.filter((f) => failing([f.finding], options.failOn!).length > 0) : [];
    const markdown = renderReview(base.label, reviews, unchanged, {
      general: general.map((g) => g.finding),
      ...(options.failOn && { failOn: options.failOn }),
      ...(options.maxCostIncrease && { maxCostIncrease: options.maxCostIncrease }),
    });
    return { markdown, findings, failing: failed };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
