/**
 * The stacks to compare against: a directory holding synthesized stacks (`stacks/<env>/cdk.tf.json`, e.g. a
 * cdktf.out kept from the main branch), or a git ref, checked out in a temporary worktree and synthesized
 * there with its own code and config. For a ref, the base's environments are also loaded (with today's
 * loader) for the before side of the summary, cost and call paths; a base whose config no longer loads still
 * gives its stacks.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { hasErrors } from "../config/diagnostics";
import type { ResolvedEnvironment } from "../config/model";
import { loadEnvironments } from "../environments";
import type { Json } from "./diff";

export class BaseError extends Error {}

export interface Base {
  /** How the review names it. */
  label: string;
  stacks: Map<string, Json>;
  environments?: Map<string, ResolvedEnvironment>;
  /** When the base commit was made (a git ref only): a plan older than it is stale. */
  committedAt?: Date;
}

/** `stacks/<env>/cdk.tf.json` under `dir`, by environment. */
export function readStacks(dir: string): Map<string, Json> {
  const root = join(dir, "stacks");
  const out = new Map<string, Json>();
  if (!existsSync(root)) return out;
  for (const env of readdirSync(root).sort()) {
    const file = join(root, env, "cdk.tf.json");
    if (existsSync(file)) out.set(env, JSON.parse(readFileSync(file, "utf8")) as Json);
  }
  return out;
}

function loadModels(configDir: string): Map<string, ResolvedEnvironment> | undefined {
  try {
    const { environments, diagnostics } = loadEnvironments(configDir);
    return hasErrors(diagnostics) ? undefined : new Map(environments.map((e) => [e.name, e]));
  } catch {
    return undefined;
  }
}

function git(args: string[], cwd: string): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** Synthesizes `ref` of the repository at `repo` in a temporary worktree, removed afterwards. */
function fromRef(ref: string, repo: string): Base {
  try {
    git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], repo);
  } catch {
    throw new BaseError(`--base ${ref}: neither a directory nor a git ref of ${repo}`);
  }
  const tree = mkdtempSync(join(tmpdir(), "meshform-base-"));
  const out = join(tree, ".meshform-base.out");
  try {
    git(["worktree", "add", "--detach", "--force", tree, ref], repo);
    symlinkSync(join(repo, "node_modules"), join(tree, "node_modules"), "dir");
    const launcher = join(tree, "bin/meshform.js");
    const [cmd, args] = existsSync(launcher) ? [process.execPath, [launcher, "synth", "--quiet"]] : ["npm", ["run", "--silent", "synth"]];
    const run = spawnSync(cmd, args, { cwd: tree, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: out, CHECKPOINT_DISABLE: "1" } });
    if (run.status !== 0)
      throw new BaseError(`--base ${ref}: its synth failed:\n${(run.stderr || run.stdout).trim().split("\n").slice(0, 5).join("\n")}`);
    const environments = loadModels(join(tree, "config"));
    const committedAt = new Date(git(["log", "-1", "--format=%cI", ref], repo));
    return { label: ref, stacks: readStacks(out), committedAt, ...(environments && { environments }) };
  } finally {
    try {
      git(["worktree", "remove", "--force", tree], repo);
    } catch {
      rmSync(tree, { recursive: true, force: true });
      git(["worktree", "prune"], repo);
    }
  }
}

export function loadBase(base: string, repo = resolve(".")): Base {
  if (existsSync(base) && statSync(base).isDirectory()) {
    const stacks = readStacks(base);
    if (stacks.size === 0) throw new BaseError(`--base ${base}: no stacks/<env>/cdk.tf.json in that directory`);
    return { label: base, stacks };
  }
  return fromRef(base, repo);
}
