/** Reads environment files: YAML with source positions, then the Zod schema. Never throws on bad input. */
import { readFileSync, readdirSync } from "node:fs";
import { basename, extname, join, relative } from "node:path";
import type { Diagnostic } from "./diagnostics";
import { defaultMessage, issueDiagnostics } from "./issues";
import { partsOf, salvageParts, type ValidParts } from "./parts";
import { type EnvironmentConfig, EnvironmentSchema } from "./schema";
import { Source } from "./source";
import { cdktfMarkers } from "./user-text";
import { parseYamlBytes } from "./yaml";

export interface ParsedFile {
  /** Environment name taken from the file name. */
  env: string;
  file: string;
  config?: EnvironmentConfig;
  /** The parts valid on their own (all of it when `config` is set), for the cross-field checks. */
  parts?: ValidParts;
  source?: Source;
  diagnostics: Diagnostic[];
}

const fileProblem = (file: string, message: string): Diagnostic => ({
  file,
  line: 1,
  col: 1,
  path: "",
  message,
  severity: "error",
});

const reason = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err);

/** Parses one environment file given its text or bytes; `file` is the name shown in messages. */
export function parseEnvironment(file: string, content: string | Uint8Array): ParsedFile {
  const env = basename(file, extname(file));
  const yaml = parseYamlBytes(file, typeof content === "string" ? Buffer.from(content) : content);
  if (!yaml.doc || yaml.diagnostics.length > 0) return { env, file, diagnostics: yaml.diagnostics };
  if (yaml.value === null || yaml.value === undefined) {
    return { env, file, diagnostics: [fileProblem(file, "file is empty; expected a map with environment, project, region, internalDomain, network, mesh and services")] };
  }
  const source = new Source(file, yaml.doc, yaml.lines);
  const raw = yaml.value;
  const markers = cdktfMarkers(raw, source);
  const result = EnvironmentSchema.safeParse(raw, { reportInput: true, error: defaultMessage });
  if (!result.success) {
    const diagnostics = [...markers, ...issueDiagnostics(result.error.issues, source, EnvironmentSchema)];
    return { env, file, source, parts: salvageParts(raw), diagnostics };
  }
  if (markers.length > 0) return { env, file, source, parts: partsOf(result.data), diagnostics: markers };
  return { env, file, config: result.data, parts: partsOf(result.data), source, diagnostics: [] };
}

export function readEnvironmentFile(path: string): ParsedFile {
  const file = displayName(path);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    return { env: basename(path, extname(path)), file, diagnostics: [fileProblem(file, `cannot read file (${reason(err)})`)] };
  }
  return parseEnvironment(file, bytes);
}

const ENV_FILE = /^[^.].*\.ya?ml$/;

export interface ConfigDir {
  files: ParsedFile[];
  /** Every environment the directory defines, read or not (`only` reads one). */
  available: string[];
  diagnostics: Diagnostic[];
}

/** Every environment file in `dir` (or just `only`), or one diagnostic saying why there are none. */
export function readConfigDir(dir: string, only?: string): ConfigDir {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => ENV_FILE.test(n)).sort();
  } catch (err) {
    return { files: [], available: [], diagnostics: [fileProblem(displayName(dir), `cannot read config directory (${reason(err)})`)] };
  }
  const envOf = (n: string) => basename(n, extname(n));
  const available = names.map(envOf);
  if (only !== undefined) {
    names = names.filter((n) => envOf(n) === only);
    if (names.length === 0) {
      const found = available.length ? available.join(", ") : "none";
      const problem = fileProblem(displayName(join(dir, `${only}.yaml`)), `no such environment file; environments found: ${found}`);
      return { files: [], available, diagnostics: [problem] };
    }
  }
  if (names.length === 0) {
    return { files: [], available, diagnostics: [fileProblem(displayName(dir), "no environment files (*.yaml) in this directory")] };
  }
  const files = names.map((n) => readEnvironmentFile(join(dir, n)));
  const seen = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    const twin = seen.get(f.env);
    if (twin) diagnostics.push(fileProblem(f.file, `environment "${f.env}" is also defined by ${twin}`));
    seen.set(f.env, f.file);
  }
  return { files, available, diagnostics };
}

/** Paths in messages are relative to the working directory, as a user types them. */
function displayName(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" ? "." : rel.startsWith("..") && path.startsWith("/") ? path : rel;
}
