/**
 * Finds and reads environment files without parsing them: what a synth needs to tell whether anything
 * changed, without loading the YAML parser or the schema.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, extname, join, relative } from "node:path";
import type { Diagnostic } from "./diagnostics";
import { RULES } from "./rules";

export const fileProblem = (file: string, message: string): Diagnostic => ({
  file,
  line: 1,
  col: 1,
  path: "",
  message,
  severity: "error",
  rule: RULES.file.id,
});

const reason = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err);

/** An environment file found in a config directory, not yet read. */
export interface ConfigEntry {
  env: string;
  /** As shown in messages: relative to the working directory. */
  file: string;
  path: string;
}

/** The file's bytes, or the diagnostic that says why it cannot be read. */
export function readConfigBytes(entry: ConfigEntry): Uint8Array | Diagnostic {
  try {
    return readFileSync(entry.path);
  } catch (err) {
    return fileProblem(entry.file, `cannot read file (${reason(err)})`);
  }
}

const ENV_FILE = /^[^.].*\.ya?ml$/;

export interface ConfigListing {
  entries: ConfigEntry[];
  /** Every environment the directory defines, listed or not (`only` lists one). */
  available: string[];
  /** Why there are no entries, or which two files define one environment. */
  diagnostics: Diagnostic[];
}

/** Every environment file in `dir` (or just `only`), or one diagnostic saying why there are none. */
export function listConfigDir(dir: string, only?: string): ConfigListing {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => ENV_FILE.test(n))
      .sort();
  } catch (err) {
    return { entries: [], available: [], diagnostics: [fileProblem(displayName(dir), `cannot read config directory (${reason(err)})`)] };
  }
  const envOf = (n: string) => basename(n, extname(n));
  const available = names.map(envOf);
  if (only !== undefined) {
    names = names.filter((n) => envOf(n) === only);
    if (names.length === 0) {
      const found = available.length ? available.join(", ") : "none";
      const problem = fileProblem(displayName(join(dir, `${only}.yaml`)), `no such environment file; environments found: ${found}`);
      return { entries: [], available, diagnostics: [problem] };
    }
  }
  if (names.length === 0) {
    return { entries: [], available, diagnostics: [fileProblem(displayName(dir), "no environment files (*.yaml) in this directory")] };
  }
  const entries = names.map((n) => ({ env: envOf(n), file: displayName(join(dir, n)), path: join(dir, n) }));
  const seen = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const e of entries) {
    const twin = seen.get(e.env);
    if (twin) diagnostics.push(fileProblem(e.file, `environment "${e.env}" is also defined by ${twin}`));
    seen.set(e.env, e.file);
  }
  return { entries, available, diagnostics };
}

/** Paths in messages are relative to the working directory, as a user types them. */
export function displayName(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" ? "." : rel.startsWith("..") && path.startsWith("/") ? path : rel;
}
