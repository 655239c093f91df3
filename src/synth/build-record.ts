/**
 * What a stack was made from, kept beside it in `stacks/<env>/.meshform-build.json` (Terraform reads only
 * `*.tf` and `*.tf.json`, so it ignores the file). The next synth reuses the stack when its keys still
 * match and its cdk.tf.json is still the file that was written; the config file's warnings are kept too, so
 * an unchanged file is neither parsed nor checked again yet says the same.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../config/diagnostics";
import { sha256 } from "./fingerprint";

export const RECORD_FILE = ".meshform-build.json";
export const STACK_FILE = "cdk.tf.json";
const FORMAT = 1;

export interface BuildRecord {
  /** sourceKey(): the config file as read. */
  source: string;
  /** environmentKey(): the resolved environment. */
  environment: string;
  /** sha256 of the cdk.tf.json written. */
  output: string;
  /** Its size in bytes. */
  outputBytes: number;
  /** The file's warnings (a file with errors is never recorded). */
  diagnostics: Diagnostic[];
}

export const stackDir = (outdir: string, env: string) => join(outdir, "stacks", env);

export function readRecord(outdir: string, env: string): BuildRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(join(stackDir(outdir, env), RECORD_FILE), "utf8")) as BuildRecord & { format?: number };
    return record.format === FORMAT ? record : undefined;
  } catch {
    return undefined; // none yet, or unreadable: the stack is made again
  }
}

/**
 * The record's stack is still the one written: nobody edited or removed its cdk.tf.json. A file of the
 * recorded size that is no newer than its record (written after it, and commits rename both, which keeps
 * their times) says so without being read; otherwise its content decides.
 */
export function intact(outdir: string, env: string, record: BuildRecord): boolean {
  const dir = stackDir(outdir, env);
  try {
    const stack = statSync(join(dir, STACK_FILE));
    if (stack.size === record.outputBytes && stack.mtimeMs <= statSync(join(dir, RECORD_FILE)).mtimeMs) return true;
    return sha256(readFileSync(join(dir, STACK_FILE))) === record.output;
  } catch {
    return false;
  }
}

export const recordJson = (record: BuildRecord): string => `${JSON.stringify({ format: FORMAT, ...record }, null, 2)}\n`;
