/** Shared test helpers for configs: edit the shipped dev config, validate and resolve text. No cdktf here (see stack-helpers.ts). */
import { readFileSync } from "node:fs";
import { formatDiagnostic } from "../src/config/diagnostics";
import { parseEnvironment } from "../src/config/load";
import type { ResolvedEnvironment } from "../src/config/model";
import { evaluate } from "../src/environments";

export const DEV_YAML = readFileSync("config/dev.yaml", "utf8");

/** Replaces one exact passage of `text`; fails loudly when the passage is missing, so tests cannot rot. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`test setup: ${JSON.stringify(from)} not found`);
  return text.replace(from, () => to); // a function: in a replacement string `$$` would mean one `$`
}

/** The end-of-life warning every App Mesh file earns, at its `provider` line, exactly as printed. */
export const endOfLife = (file: string, line = 11) =>
  `${file}:${line}:13 mesh.provider: warning: App Mesh reached end of life on 2026-09-30: AWS no longer serves its meshes, so this stack cannot deploy; set provider: service-connect (README: "Moving an environment from App Mesh to Service Connect") [MF502]`;

/** App Mesh's end-of-life warning, which every App Mesh file earns; its own test checks it exactly. */
const END_OF_LIFE = /mesh\.provider: warning: App Mesh reached end of life/;

/**
 * Formatted diagnostics for one environment file's text, without the end-of-life warning unless asked, and
 * without the rule id that ends each line (test/config/rules.test.ts checks every rule's id) unless asked.
 */
export function validate(text: string | Uint8Array, file = "config/dev.yaml", { endOfLife = false, ids = false } = {}): string[] {
  const lines = evaluate(parseEnvironment(file, text)).diagnostics.map((d) => formatDiagnostic(d));
  const shown = endOfLife ? lines : lines.filter((l) => !END_OF_LIFE.test(l));
  return ids ? shown : shown.map((l) => l.replace(/ \[MF\d{3}\]$/, ""));
}

/** The rule ids one environment file's text raises, each once, in order, with its level: `MF305 warning`. */
export function ruleIds(text: string, file = "config/dev.yaml"): string[] {
  const ids = evaluate(parseEnvironment(file, text)).diagnostics.map(
    (d) => `${d.rule} ${d.severity}${d.acknowledged ? " (acknowledged)" : ""}`,
  );
  return [...new Set(ids)];
}

export function resolve(text: string, file = "config/dev.yaml"): ResolvedEnvironment {
  const result = evaluate(parseEnvironment(file, text));
  if (!result.environment) throw new Error(`invalid test config:\n${result.diagnostics.map(formatDiagnostic).join("\n")}`);
  return result.environment;
}
