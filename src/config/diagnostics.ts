/** A problem found in a config file, located by file, line, column and field path, raised by a rule (rules.ts). */

export type Severity = "error" | "warning";

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  /** Dotted field path such as `services.api.cpu`; empty for whole-file problems. */
  path: string;
  message: string;
  severity: Severity;
  /** The id of the rule that raised it, e.g. `MF201`. */
  rule: string;
  /** A warning the file acknowledges (`acknowledge: { MF305: "why" }`): the reason given. */
  acknowledged?: string;
}

/** `config/prod.yaml:12:7 services.api.cpu: message [MF203]`; warnings say so before the message. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const field = d.path ? ` ${d.path}:` : "";
  const level = d.severity === "warning" ? " warning:" : "";
  return `${where}${field}${level} ${d.message} [${d.rule}]`;
}

/** `["services", "api", "subnetIds", 0]` → `services.api.subnetIds[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === "number") return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, "");
}

export const hasErrors = (ds: readonly Diagnostic[]) => ds.some((d) => d.severity === "error");

/** What is printed: every error, and the warnings nobody acknowledged. */
export const shown = (ds: readonly Diagnostic[]) => ds.filter((d) => d.acknowledged === undefined);

/** File by file, then by position: the order problems are printed in. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col;
}
