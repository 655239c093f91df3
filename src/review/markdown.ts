/**
 * The review as Markdown for a pull request comment: the findings of the whole change and whether they fail
 * it, then per environment that changed its findings first (each at its YAML line, acknowledged ones with
 * their reason), the services after the change, the cost and its change, the resource changes (attribute
 * diffs collapsed), the call paths whose numbers changed, and the mesh as a Mermaid graph; one line for each
 * environment that did not change.
 */
import type { ResolvedEnvironment } from "../config/model";
import { type CostLimit, costDelta, type EnvironmentCost, formatCostLimit, renderCost } from "./cost";
import type { AttributeChange, OrderingChange, ResourceChange } from "./diff";
import { callPaths, renderCallPath } from "./explain";
import { FINDING_LEVELS, type Finding, type FindingLevel, failing } from "./findings";
import { mermaid } from "./mermaid";
import { summaryTable } from "./summary";

/** The review comment's first line: CI finds its own comment by it, to update it rather than add another. */
export const REVIEW_MARKER = "<!-- meshform review -->";

/** GitHub refuses comments above 65,536 characters; the review stays under it with room for the note. */
export const COMMENT_LIMIT = 65_000;

export interface EnvironmentReview {
  name: string;
  changes: ResourceChange[];
  /** Resources that differ only in order or lifecycle (depends_on, lifecycle, a list reordered): nothing to apply. */
  ordering?: OrderingChange[];
  /** Located, most severe first. */
  findings: Finding[];
  /** The models, where the side has one (a base given as a directory of stacks has none). */
  after?: ResolvedEnvironment;
  before?: ResolvedEnvironment;
  /** The month's compute, from each side's stack. */
  cost?: { after?: EnvironmentCost; before?: EnvironmentCost };
  /** Whether the actions come from a Terraform plan. */
  planned: boolean;
}

const ACTION_ORDER = { delete: 0, replace: 1, update: 2, create: 3 } as const;
const ACTION_WORD = { create: "added", update: "changed", replace: "**replaced**", delete: "**removed**" } as const;

const show = (v: unknown) => {
  const text = JSON.stringify(v);
  return text === undefined ? "—" : text.length > 120 ? `${text.slice(0, 117)}…` : text;
};
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function attributeLines(attributes: readonly AttributeChange[]): string[] {
  return attributes.map((a) =>
    a.kind === "added"
      ? `- added ${code(a.path)}: ${code(show(a.after))}`
      : a.kind === "removed"
        ? `- removed ${code(a.path)}: ${code(show(a.before))}`
        : `- ${code(a.path)}: ${code(show(a.before))} → ${code(show(a.after))}`,
  );
}

function changeList(changes: readonly ResourceChange[]): string[] {
  const sorted = [...changes].sort((a, b) => ACTION_ORDER[a.action] - ACTION_ORDER[b.action] || a.address.localeCompare(b.address));
  const counts = (["create", "update", "replace", "delete"] as const).map(
    (k) =>
      `${changes.filter((c) => c.action === k).length} ${k === "create" ? "to add" : k === "update" ? "to change" : k === "replace" ? "to replace" : "to remove"}`,
  );
  const lines = [`**Resources**: ${counts.join(", ")}`, ""];
  for (const c of sorted) {
    const why = c.replacedBy ? ` (forced by ${c.replacedBy.map(code).join(", ")}${c.fromPlan ? "" : ", predicted"})` : "";
    lines.push(`- ${ACTION_WORD[c.action]} ${code(c.address)}${why}`);
    if (c.attributes.length > 0) {
      lines.push(`  <details><summary>${c.attributes.length} attribute${c.attributes.length === 1 ? "" : "s"}</summary>`, "");
      lines.push(...attributeLines(c.attributes).map((l) => `  ${l}`), "", "  </details>");
    }
  }
  return lines;
}

/** Call paths whose arithmetic differs between before and after (all of them when there is no before). */
function changedPaths(before: ResolvedEnvironment | undefined, after: ResolvedEnvironment): string[] {
  const key = (p: ReturnType<typeof callPaths>[number]) => `${p.caller}>${p.backend}`;
  const old = new Map((before ? callPaths(before) : []).map((p) => [key(p), JSON.stringify(p)]));
  return callPaths(after)
    .filter((p) => !before || old.get(key(p)) !== JSON.stringify(p))
    .flatMap((p) => [...renderCallPath(p).map((l) => (l.startsWith("### ") ? `#### ${l.slice(4)}` : l)), ""]);
}

const ICON: Record<FindingLevel, string> = {
  high: ":red_circle:",
  medium: ":orange_circle:",
  low: ":yellow_circle:",
  info: ":information_source:",
};

/** `- :red_circle: **high** `config/dev.yaml:12:11` `mesh.egress`: message (`resource`) [MF902]`, acknowledged ones with their reason. */
export function findingLine(f: Finding): string {
  const at = f.at?.line !== undefined ? ` ${code(`${f.at.file}:${f.at.line}:${f.at.col}`)}${f.at.path ? ` ${code(f.at.path)}` : ""}:` : "";
  const resource = f.resource ? ` (${code(f.resource)})` : "";
  const head =
    f.acknowledged === undefined
      ? `${ICON[f.rule.level]} **${f.rule.level}**`
      : `:white_check_mark: ${f.rule.level}, **acknowledged**: ${f.acknowledged.replace(/\s+/g, " ")} —`;
  return `- ${head}${at} ${f.message}${resource} [${f.rule.id}]`;
}

/** `2 high, 1 low (1 acknowledged)`. */
function counts(findings: readonly Finding[]): string {
  const open = findings.filter((f) => f.acknowledged === undefined);
  const byLevel = [...FINDING_LEVELS]
    .reverse()
    .map((l) => [l, open.filter((f) => f.rule.level === l).length] as const)
    .filter(([, n]) => n > 0)
    .map(([l, n]) => `${n} ${l}`);
  const acknowledged = findings.length - open.length;
  return `${byLevel.join(", ") || "none open"}${acknowledged > 0 ? ` (${acknowledged} acknowledged)` : ""}`;
}

export interface RenderOptions {
  /** Findings of the review as a whole (plans), not of one environment. */
  general?: Finding[];
  failOn?: FindingLevel;
  maxCostIncrease?: CostLimit;
}

export function renderEnvironment(r: EnvironmentReview, options: RenderOptions = {}): string {
  const lines = [`## ${r.name}`, ""];
  if (r.findings.length > 0) lines.push(`**Findings**: ${counts(r.findings)}`, "", ...r.findings.map(findingLine), "");
  if (r.changes.length > 0 && r.changes.every((c) => c.action === "create")) lines.push("A new environment: every resource is added.", "");
  if (r.after) lines.push(summaryTable(r.after, r.before), "");
  else lines.push("The environment is removed.", "");
  if (r.cost?.after) {
    let cost = renderCost(r.cost.after, r.cost.before);
    if (options.maxCostIncrease && r.cost.before && !costDelta(r.cost.after, r.cost.before))
      cost += ` (--max-cost-increase ${formatCostLimit(options.maxCostIncrease)} not checked: no price)`;
    lines.push(cost, "");
  }
  lines.push(...changeList(r.changes), "");
  if (r.ordering && r.ordering.length > 0)
    lines.push(
      `Order or lifecycle only, nothing to apply: ${r.ordering.map((o) => `${code(o.address)} (${o.paths.map(code).join(", ")})`).join(", ")}.`,
      "",
    );
  if (!r.planned) lines.push("_Actions compared from the synthesized JSON; pass `--plan` for Terraform's own._", "");
  if (r.after) {
    const paths = changedPaths(r.before, r.after);
    if (paths.length > 0) lines.push("**Retries and timeouts** (`npm run explain`)", "", ...paths);
    lines.push("<details><summary>The mesh</summary>", "", "```mermaid", mermaid(r.after), "```", "", "</details>", "");
  }
  return lines.join("\n");
}

/** The verdict: what fails the check at `--fail-on`, or that nothing does. */
function verdict(all: readonly Finding[], failOn: FindingLevel | undefined): string {
  if (all.length === 0) return "**Findings**: none.";
  const text = `**Findings**: ${counts(all)}.`;
  if (!failOn) return text;
  const failed = failing(all, failOn).length;
  return failed > 0
    ? `${text} :x: ${failed} at \`${failOn}\` or above, unacknowledged: the check fails (\`--fail-on ${failOn}\`).`
    : `${text} :white_check_mark: none open at \`${failOn}\` or above (\`--fail-on ${failOn}\`).`;
}

export function renderReview(
  base: string,
  reviews: readonly EnvironmentReview[],
  unchanged: readonly string[],
  options: RenderOptions = {},
): string {
  const general = options.general ?? [];
  const head = [REVIEW_MARKER, `# meshform review: ${base} → this change`, ""];
  head.push(verdict([...general, ...reviews.flatMap((r) => r.findings)], options.failOn), "");
  if (general.length > 0) head.push(...general.map(findingLine), "");
  if (unchanged.length > 0) head.push(`No changes: ${unchanged.join(", ")}.`, "");
  if (reviews.length === 0) head.push("No environment changed.", "");
  let body = [...head, ...reviews.map((r) => renderEnvironment(r, options))].join("\n");
  if (body.length > COMMENT_LIMIT) {
    body = `${body.slice(0, COMMENT_LIMIT)}\n\n</details>\n\n_Truncated at ${COMMENT_LIMIT.toLocaleString("en-US")} characters (GitHub's comment limit); run \`npm run review\` locally for the whole review._\n`;
  }
  return body;
}
