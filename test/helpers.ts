/** Shared test helpers for configs: the tests' own environment files, edits of them, validating and resolving text. No cdktf here (see stack-helpers.ts). */
import { readFileSync } from "node:fs";
import { formatDiagnostic, shown } from "../src/config/diagnostics";
import { parseEnvironment } from "../src/config/load";
import type { ResolvedEnvironment } from "../src/config/model";
import { evaluate } from "../src/environments";

/**
 * The tests' environment files: copies of the config/ files meshform shipped with, owned by the tests, since
 * config/ belongs to its users (only test/config/shipped.test.ts reads it, pinning nothing). Messages name a
 * fixture by this path; text that is no file on disk gets a bare file name such as "dev.yaml".
 */
export const ENVS = "test/fixtures/envs";
export const envFile = (env: string) => `${ENVS}/${env}.yaml`;
export const envYaml = (env: string) => readFileSync(envFile(env), "utf8");
export const DEV_FILE = envFile("dev");
export const DEV_YAML = envYaml("dev");
/** App Mesh's traffic management (versions, routes, outlier detection, TLS, a gateway), as qa had it before VPC Lattice. */
export const APPMESH_QA_FILE = "test/fixtures/configs/appmesh-qa.yaml";
export const APPMESH_QA_YAML = readFileSync(APPMESH_QA_FILE, "utf8");

/** Replaces one exact passage of `text`; fails loudly when the passage is missing, so tests cannot rot. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`test setup: ${JSON.stringify(from)} not found`);
  return text.replace(from, () => to); // a function: in a replacement string `$$` would mean one `$`
}

/** The end-of-life warning every App Mesh file earns, at its `provider` line (by default the dev fixture's), exactly as printed. */
export const endOfLife = (file: string, line = 11) =>
  `${file}:${line}:13 mesh.provider: warning: App Mesh reached end of life on 2026-09-30: AWS no longer serves its meshes, so this stack cannot deploy; set provider: service-connect or vpc-lattice with movedFrom: appmesh (README: "Moving an environment off App Mesh") [MF502]`;

/**
 * Warnings most test files earn whatever they test, each checked exactly by a test of its own: App Mesh's end of
 * life (every App Mesh file), and local state (every deployable file without `state:`).
 */
const END_OF_LIFE = /mesh\.provider: warning: App Mesh reached end of life|warning: keeps its Terraform state in a local file/;

/**
 * Formatted diagnostics for one environment file's text, without those usual warnings unless asked, and
 * without the rule id that ends each line (test/config/rules.test.ts checks every rule's id) unless asked.
 */
export function validate(text: string | Uint8Array, file = DEV_FILE, { endOfLife = false, ids = false } = {}): string[] {
  const lines = shown(evaluate(parseEnvironment(file, text)).diagnostics).map((d) => formatDiagnostic(d));
  const printed = endOfLife ? lines : lines.filter((l) => !END_OF_LIFE.test(l));
  return ids ? printed : printed.map((l) => l.replace(/ \[MF\d{3}\]$/, ""));
}

/** The rule ids one environment file's text raises, each once, in order, with its level: `MF305 warning`. */
export function ruleIds(text: string, file = DEV_FILE): string[] {
  const ids = evaluate(parseEnvironment(file, text)).diagnostics.map(
    (d) => `${d.rule} ${d.severity}${d.acknowledged ? " (acknowledged)" : ""}`,
  );
  return [...new Set(ids)];
}

export function resolve(text: string, file = DEV_FILE): ResolvedEnvironment {
  const result = evaluate(parseEnvironment(file, text));
  if (!result.environment) throw new Error(`invalid test config:\n${result.diagnostics.map(formatDiagnostic).join("\n")}`);
  return result.environment;
}

/** A fixture environment (test/fixtures/envs/<env>.yaml), resolved under its own path. */
export const resolveEnv = (env: string): ResolvedEnvironment => resolve(envYaml(env), envFile(env));
