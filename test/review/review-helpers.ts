/** Config directories and synthesized bases in temporary directories, removed when the test finishes; a change's risk findings as lines. */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { onTestFinished } from "vitest";
import { parseEnvironment } from "../../src/config/load";
import { loadEnvironments } from "../../src/environments";
import { diffStacks } from "../../src/review/diff";
import { locate } from "../../src/review/findings";
import { riskFindings } from "../../src/review/risk";
import { synthesize } from "../../src/synth/synthesize";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { DEV_FILE, ENVS, resolve } from "../helpers";
import type { Json } from "../stack-helpers";

/** A temporary directory, removed when the current test finishes. */
export function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `meshform-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A config directory: the fixture environments (or none), with `files` written over them. */
export function configDir(files: Record<string, string>, { fixtures = true } = {}): string {
  const dir = scratch("review-config");
  if (fixtures) cpSync(ENVS, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A directory of stacks (`stacks/<env>/cdk.tf.json`) synthesized from a config directory: a base for `--base`. */
export async function stacksOf(config: string): Promise<string> {
  const dir = scratch("review-base");
  await synthesize(loadEnvironments(config).environments, dir);
  return dir;
}

const stacks = new Map<string, Json>();

/** The stack of an environment file's text, synthesized once per text (a copy each time: callers may patch it). */
export function stackOf(text: string, file: string): Json {
  const key = `${file}\0${text}`;
  if (!stacks.has(key)) {
    // cdktf's testing app makes an output directory of its own unless given one: this one is removed at once.
    const outdir = mkdtempSync(join(tmpdir(), "meshform-review-synth-"));
    try {
      stacks.set(key, JSON.parse(Testing.synth(new EnvironmentStack(Testing.app({ outdir }), resolve(text, file)))) as Json);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  return structuredClone(stacks.get(key)!);
}

/**
 * The risk findings of a change of `file`'s text, located in the after-change text, each as one line:
 * `MF903 medium 12:11 mesh.egress <resource>: message`. `patch` edits the after-change stack first.
 */
export function riskLines(before: string, after: string, file = DEV_FILE, patch?: (stack: Json) => void): string[] {
  const env = resolve(after, file);
  const [b, a] = [stackOf(before, file), stackOf(after, file)];
  patch?.(a);
  return locate(riskFindings(b, a, diffStacks(b, a), env), parseEnvironment(file, after)).map(
    (f) =>
      `${f.rule.id} ${f.rule.level}${f.at?.line ? ` ${f.at.line}:${f.at.col} ${f.at.path}` : ""}${f.resource ? ` ${f.resource}` : ""}: ${f.message}`,
  );
}
