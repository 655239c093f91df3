/**
 * What the review finds in a change, as data: a rule (MF9xx, with its fixed level, src/rule-catalogue.ts), a
 * message, the resource it concerns, and the field of the environment's YAML that caused it, located at its
 * `file:line:col` in the after-change file. A file may acknowledge a finding as it does a warning
 * (`acknowledge: { MF902: "why" }`, for the whole file or under the service the finding's field belongs to);
 * an acknowledged finding is shown with its reason and never fails the check. `--fail-on LEVEL` fails on any
 * other finding at that level or above; GitHub shows each one at its YAML line (annotations()).
 */
import { formatPath } from "../config/diagnostics";
import type { ParsedFile } from "../config/load";
import { FINDING_LEVELS, FINDINGS, type FindingLevel, type FindingRule } from "../rule-catalogue";

export { FINDING_LEVELS, FINDINGS, type FindingLevel, type FindingRule };

export interface Location {
  file: string;
  line?: number;
  col?: number;
  /** The field, as validate prints it: `services.api.route.retryPolicy.maxRetries`. */
  path?: string;
}

export interface Finding {
  rule: FindingRule;
  message: string;
  /** The resource it concerns, `<type>.<name>`, when there is one. */
  resource?: string;
  /** The YAML field that caused it, where there is one: `["mesh", "egress"]`. */
  field?: (string | number)[];
  /** Where that field is in the after-change file (locate()). */
  at?: Location;
  /** The reason the file gives for accepting it. */
  acknowledged?: string;
}

export const levelRank = (level: FindingLevel) => FINDING_LEVELS.indexOf(level);

export function isLevel(value: string): value is FindingLevel {
  return (FINDING_LEVELS as readonly string[]).includes(value);
}

/** Findings at `threshold` or above that nobody acknowledged: what fails the check. */
export const failing = (findings: readonly Finding[], threshold: FindingLevel) =>
  findings.filter((f) => f.acknowledged === undefined && levelRank(f.rule.level) >= levelRank(threshold));

/** Most severe first, then by position in the file. */
export function bySeverity(a: Finding, b: Finding): number {
  return (
    levelRank(b.rule.level) - levelRank(a.rule.level) ||
    (a.at?.line ?? 0) - (b.at?.line ?? 0) ||
    (a.at?.col ?? 0) - (b.at?.col ?? 0) ||
    a.rule.id.localeCompare(b.rule.id)
  );
}

/**
 * Each finding located in the environment's after-change file (`parsed`, from parseEnvironment), and marked
 * acknowledged where the file acknowledges its rule: under the service its field belongs to, else at the top.
 */
export function locate(findings: readonly Finding[], parsed: ParsedFile | undefined): Finding[] {
  if (!parsed) return [...findings];
  const { source, parts } = parsed;
  return findings.map((f) => {
    const at: Location = { file: parsed.file };
    if (f.field && source) Object.assign(at, source.locate(f.field), { path: formatPath(f.field) });
    const service = f.field?.[0] === "services" && typeof f.field[1] === "string" ? f.field[1] : undefined;
    const reason = (service !== undefined && parts?.services?.[service]?.acknowledge?.[f.rule.id]) || parts?.acknowledge?.[f.rule.id];
    return { ...f, at, ...(reason && { acknowledged: reason }) };
  });
}

/** `config/dev.yaml:12:11 mesh.egress`, or as much of it as is known. */
export function where(at: Location | undefined): string | undefined {
  if (!at) return undefined;
  const position = at.line === undefined ? at.file : `${at.file}:${at.line}:${at.col}`;
  return at.path ? `${position} ${at.path}` : position;
}

// GitHub's workflow commands: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
const COMMAND: Record<FindingLevel, "error" | "warning" | "notice"> = { high: "error", medium: "warning", low: "notice", info: "notice" };

/**
 * One GitHub workflow command per finding (`::error file=…,line=…,col=…,title=…::message`), which GitHub shows
 * at the YAML line in the pull request's files and in the check: high as an error, medium as a warning, low and
 * info as notices; acknowledged ones as notices that say so.
 */
export function annotations(findings: readonly { env?: string; finding: Finding }[]): string[] {
  return findings.map(({ env, finding: f }) => {
    const command = f.acknowledged === undefined ? COMMAND[f.rule.level] : "notice";
    const props = [
      ...(f.at ? [`file=${escapeProperty(f.at.file)}`] : []),
      ...(f.at?.line !== undefined ? [`line=${f.at.line}`, `col=${f.at.col}`] : []),
      `title=${escapeProperty(`${f.rule.id} ${f.rule.level}${f.acknowledged === undefined ? "" : ", acknowledged"}: ${f.rule.title}`)}`,
    ];
    const message = `${env === undefined ? "" : `${env}: `}${f.at?.path ? `${f.at.path}: ` : ""}${f.message}${f.acknowledged === undefined ? "" : ` (acknowledged: ${f.acknowledged})`}`;
    return `::${command} ${props.join(",")}::${escapeData(message)}`;
  });
}
