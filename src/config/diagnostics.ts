/** A problem found in a config file, located by file, line, column and field path. */

export type Severity = "error" | "warning";

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  /** Dotted field path such as `services.api.cpu`; empty for whole-file problems. */
  path: string;
  message: string;
  severity: Severity;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const field = d.path ? ` ${d.path}:` : "";
  const level = d.severity === "warning" ? " warning:" : "";
  return `${where}${field}${level} ${d.message}`;
}

/** `["services", "api", "subnetIds", 0]` → `services.api.subnetIds[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === "number") return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, "");
}

export const hasErrors = (ds: readonly Diagnostic[]) => ds.some((d) => d.severity === "error");

/** File by file, then by position: the order problems are printed in. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col;
}
