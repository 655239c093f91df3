/** Reads environment files: YAML with source positions, then the Zod schema. Never throws on bad input. */
import { basename, extname } from "node:path";
import { type ConfigEntry, displayName, fileProblem, listConfigDir, readConfigBytes } from "./config-dir";
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

/** Parses one environment file given its text or bytes; `file` is the name shown in messages. */
export function parseEnvironment(file: string, content: string | Uint8Array): ParsedFile {
  const env = basename(file, extname(file));
  const yaml = parseYamlBytes(file, typeof content === "string" ? Buffer.from(content) : content);
  if (!yaml.doc || yaml.diagnostics.length > 0) return { env, file, diagnostics: yaml.diagnostics };
  if (yaml.value === null || yaml.value === undefined) {
    return {
      env,
      file,
      diagnostics: [
        fileProblem(file, "file is empty; expected a map with environment, project, region, internalDomain, network, mesh and services"),
      ],
    };
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

/** Parses a file's bytes, or passes on why it could not be read. */
export function parseEntry(entry: ConfigEntry, bytes: Uint8Array | Diagnostic): ParsedFile {
  return bytes instanceof Uint8Array ? parseEnvironment(entry.file, bytes) : { env: entry.env, file: entry.file, diagnostics: [bytes] };
}

export function readEnvironmentFile(path: string): ParsedFile {
  const entry = { env: basename(path, extname(path)), file: displayName(path), path };
  return parseEntry(entry, readConfigBytes(entry));
}

export interface ConfigDir {
  files: ParsedFile[];
  /** Every environment the directory defines, read or not (`only` reads one). */
  available: string[];
  diagnostics: Diagnostic[];
}

/** Every environment file in `dir` (or just `only`), read and parsed. */
export function readConfigDir(dir: string, only?: string): ConfigDir {
  const { entries, available, diagnostics } = listConfigDir(dir, only);
  return { files: entries.map((e) => parseEntry(e, readConfigBytes(e))), available, diagnostics };
}
