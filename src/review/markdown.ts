/**
 * The review as Markdown for a pull request comment: per environment that changed, its risk flags first,
 * the services after the change, the cost, the resource changes (attribute diffs collapsed), the call paths
 * whose numbers changed, and the mesh as a Mermaid graph; one line for each environment that did not.
 */
import type { ResolvedEnvironment } from "../config/model";
import { environmentCost, renderCost } from "./cost";
import type { AttributeChange, OrderingChange, ResourceChange } from "./diff";
import { callPaths, renderCallPath } from "./explain";
import { mermaid } from "./mermaid";
import type { RiskFlag } from "./risk";
import { summaryTable } from "./summary";

/** The review comment's first line: CI finds its own comment by it, to update it rather than add another. */
export const REVIEW_MARKER = "<!-- meshform review -->";

/** GitHub refuses comments above 65,536 characters; the review stays under it with room for the note. */
export const COMMENT_LIMIT = 65_000;

export interface EnvironmentReview {
  name: string;
  changes: ResourceChange[];
  /** Resources that differ only in order (depends_on, a list reordered): nothing to apply. */
  ordering?: OrderingChange[];
  flags: RiskFlag[];
  before?: ResolvedEnvironment;
  after?: ResolvedEnvironment;
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

export function renderEnvironment(r: EnvironmentReview): string {
  const lines = [`## ${r.name}`, ""];
  if (r.flags.length > 0) {
    lines.push(
      "**Risk flags**",
      "",
      ...r.flags.map((f) => `- :warning: **${f.kind}**${f.resource ? ` ${code(f.resource)}` : ""}: ${f.reason}`),
      "",
    );
  }
  if (r.changes.length > 0 && r.changes.every((c) => c.action === "create")) lines.push("A new environment: every resource is added.", "");
  if (r.after) {
    lines.push(summaryTable(r.after, r.before), "", renderCost(environmentCost(r.after), r.before && environmentCost(r.before)), "");
  } else lines.push("The environment is removed.", "");
  lines.push(...changeList(r.changes), "");
  if (r.ordering && r.ordering.length > 0)
    lines.push(
      `Order only, nothing to apply: ${r.ordering.map((o) => `${code(o.address)} (${o.paths.map(code).join(", ")})`).join(", ")}.`,
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

export function renderReview(base: string, reviews: readonly EnvironmentReview[], unchanged: readonly string[]): string {
  const head = [REVIEW_MARKER, `# meshform review: ${base} → this change`, ""];
  if (unchanged.length > 0) head.push(`No changes: ${unchanged.join(", ")}.`, "");
  if (reviews.length === 0) head.push("No environment changed.", "");
  let body = [...head, ...reviews.map(renderEnvironment)].join("\n");
  if (body.length > COMMENT_LIMIT) {
    body = `${body.slice(0, COMMENT_LIMIT)}\n\n</details>\n\n_Truncated at ${COMMENT_LIMIT.toLocaleString("en-US")} characters (GitHub's comment limit); run \`npm run review\` locally for the whole review._\n`;
  }
  return body;
}
