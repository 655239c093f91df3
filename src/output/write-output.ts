/**
 * Writes cdktf.out, which is also Terraform's working directory: `cdktf diff/deploy` and `terraform init`
 * keep `.terraform/` and `.terraform.lock.hcl` in each `stacks/<env>/`, and those must survive every synth.
 *
 *   1. lock    `.meshform.lock`: a second writer is refused, naming the pid of the first.
 *   2. stage   the new stacks are synthesized into `.meshform-staging/` inside the output directory (so a
 *              read-only parent, or an output directory that is a mount point, both work); an interruption or
 *              an error here discards it and leaves the old output untouched.
 *   3. seal    staging is renamed to `.meshform-commit/` in one step: from then on the new output is the one.
 *   4. commit  each stack's generated files are renamed over the old ones (Terraform's files beside them are
 *              left alone), stacks of environments that no longer exist are removed, the manifest goes last.
 *              A signal waits until the commit is done. A run killed outright (SIGKILL) leaves
 *              `.meshform-commit/`, which the next run finishes before anything else.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { StackManifest } from "cdktf";
import stringify from "json-stable-stringify";
import { io, ioError, OutputError } from "./errors";
import { Interrupted } from "./interrupted";
import { acquireLock } from "./lock";

export const STAGING_DIR = ".meshform-staging";
export const COMMIT_DIR = ".meshform-commit";
const PLAN_FILE = "commit.json";
/** cdktf's layout (MANIFEST_FILE, STACKS_DIR), named here so that reading it needs no cdktf. */
export const MANIFEST_FILE = "manifest.json";
export const STACKS_DIR = "stacks";

export interface Staged {
  /** cdktf's version, as its manifest records it. */
  version: string;
  /**
   * The manifest entry of every stack that has files in the staging directory's `stacks/<name>/`: a new
   * stack, or only new files beside an existing one.
   */
  stacks: Record<string, StackManifest>;
  /** Stacks of the current output that stay as they are, with their manifest entries. */
  keep: readonly string[];
}

export interface WriteOptions {
  /** Aborted by a signal: honoured until the output is sealed, then the commit completes. */
  signal?: AbortSignal;
}

/** What the output directory holds now, for `stage` to decide what to make again. */
export interface Current {
  /** Its manifest's stack entries (none when there is no output yet). */
  stacks: Record<string, StackManifest>;
}

/**
 * Synthesizes through `stage` (which writes cdktf's layout into the directory it is given) and commits.
 * `stage` runs under the lock, after any cut-short commit was finished, so what it reads of the current
 * output is what it replaces. Returns false when there was nothing to write (every stack kept as it was).
 */
export async function writeOutput(
  outdir: string,
  options: WriteOptions,
  stage: (dir: string, current: Current) => Promise<Staged>,
): Promise<boolean> {
  const { signal } = options;
  const created = createOutdir(outdir);
  let lock: ReturnType<typeof acquireLock>;
  try {
    lock = acquireLock(outdir);
  } catch (err) {
    if (created) removeIfEmpty(outdir);
    throw err;
  }
  const staging = join(outdir, STAGING_DIR);
  let committed = false;
  try {
    await recover(outdir);
    io(staging, () => mkdirSync(join(staging, STACKS_DIR), { recursive: true }));
    await hold("stage", signal);
    const current = { stacks: readManifest(outdir) };
    const staged = await stage(staging, current);
    if (signal?.aborted) throw new Interrupted();
    if (unchanged(outdir, current, staged)) return false;
    seal(outdir, staged, current);
    committed = true;
    await commit(outdir, signal);
    return true;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    lock.release();
    // A run that wrote nothing leaves no trace, not even the output directory it had to create for its lock.
    if (created && !committed) removeIfEmpty(outdir);
  }
}

/** Nothing new, every current stack kept, no other stack directory: the output already is the result. */
function unchanged(outdir: string, current: Current, staged: Staged): boolean {
  const names = Object.keys(current.stacks).sort();
  return (
    Object.keys(staged.stacks).length === 0 &&
    names.length === staged.keep.length &&
    [...staged.keep].sort().every((name, i) => name === names[i]) &&
    stackDirs(join(outdir, STACKS_DIR)).every((name) => name in current.stacks)
  );
}

/**
 * Removes a directory this run created, if nothing is in it. Another synth may have taken the lock in it
 * meanwhile (the one that creates the directory is not always the one that wins the lock): its lock and
 * staging must stay.
 */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (another writer is in it), or already gone
  }
}

/** Creates the output directory unless it exists; says whether it did. */
function createOutdir(outdir: string): boolean {
  try {
    mkdirSync(outdir);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      if (!statSync(outdir).isDirectory()) throw new OutputError(outdir, "exists and is not a directory");
      return false;
    }
    if (code === "ENOENT") throw new OutputError(outdir, `its parent directory ${dirname(outdir)} does not exist`);
    throw ioError(err, outdir);
  }
}

function readManifest(outdir: string): Record<string, StackManifest> {
  try {
    return (JSON.parse(readFileSync(join(outdir, MANIFEST_FILE), "utf8")) as { stacks?: Record<string, StackManifest> }).stacks ?? {};
  } catch {
    return {}; // no previous output, or not one of ours: nothing to keep
  }
}

const stackDirs = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];

/** Writes the merged manifest and the commit plan into staging, checks the targets, and renames staging to the commit directory. */
function seal(outdir: string, staged: Staged, current: Current): void {
  const staging = join(outdir, STAGING_DIR);
  const manifest = { version: staged.version, stacks: {} as Record<string, StackManifest> };
  for (const name of staged.keep) {
    if (current.stacks[name] && existsSync(join(outdir, STACKS_DIR, name))) manifest.stacks[name] = current.stacks[name];
  }
  Object.assign(manifest.stacks, staged.stacks);
  io(join(staging, MANIFEST_FILE), () => writeFileSync(join(staging, MANIFEST_FILE), manifestJson(manifest)));
  const outStacks = join(outdir, STACKS_DIR);
  const remove = stackDirs(outStacks).filter((name) => !(name in manifest.stacks) && !staged.keep.includes(name));
  io(join(staging, PLAN_FILE), () => writeFileSync(join(staging, PLAN_FILE), JSON.stringify({ remove })));
  // Fail before sealing, not half-way through the commit, when a stack directory cannot be written.
  for (const name of Object.keys(staged.stacks)) {
    const target = join(outStacks, name);
    if (existsSync(target)) io(target, () => accessSync(target, constants.W_OK));
  }
  if (existsSync(outStacks)) io(outStacks, () => accessSync(outStacks, constants.W_OK));
  io(join(outdir, COMMIT_DIR), () => renameSync(staging, join(outdir, COMMIT_DIR)));
}

/**
 * manifest.json as cdktf's Manifest.writeToFile() writes it (json-stable-stringify, the version cdktf
 * uses, two spaces), without loading cdktf: a synth whose stacks were all made in workers never does.
 * A test compares it with cdktf's own.
 */
export const manifestJson = (manifest: { version: string; stacks: Record<string, StackManifest> }): string =>
  stringify(manifest, { space: 2 })!;

/** Moves a sealed output into place; safe to run again after it was cut short. */
async function commit(outdir: string, signal?: AbortSignal): Promise<void> {
  const sealed = join(outdir, COMMIT_DIR);
  const { remove } = JSON.parse(readFileSync(join(sealed, PLAN_FILE), "utf8")) as { remove: string[] };
  const from = join(sealed, STACKS_DIR);
  for (const name of stackDirs(from)) {
    const target = join(outdir, STACKS_DIR, name);
    io(target, () => mkdirSync(target, { recursive: true }));
    for (const file of readdirSync(join(from, name))) {
      io(join(target, file), () => renameSync(join(from, name, file), join(target, file)));
    }
    await hold("commit", signal);
  }
  for (const name of remove) {
    const target = join(outdir, STACKS_DIR, name);
    io(target, () => rmSync(target, { recursive: true, force: true }));
  }
  const manifest = join(sealed, MANIFEST_FILE);
  if (existsSync(manifest)) io(join(outdir, MANIFEST_FILE), () => renameSync(manifest, join(outdir, MANIFEST_FILE)));
  io(sealed, () => rmSync(sealed, { recursive: true, force: true }));
}

/** What an earlier run that was killed left behind: a sealed output is finished, a staging directory dropped. */
async function recover(outdir: string): Promise<void> {
  if (existsSync(join(outdir, COMMIT_DIR))) await commit(outdir);
  io(join(outdir, STAGING_DIR), () => rmSync(join(outdir, STAGING_DIR), { recursive: true, force: true }));
}

/**
 * Test hook: with MESHFORM_TEST_HOLD set to a phase ("stage", "synthesize", "commit"), the run says so on stderr and waits
 * there for a signal (SIGUSR2 continues), so tests can interrupt or kill it at a known point.
 */
export async function hold(phase: string, signal?: AbortSignal): Promise<void> {
  if (process.env.MESHFORM_TEST_HOLD !== phase || signal?.aborted) return;
  process.stderr.write(`meshform: holding at ${phase} (pid ${process.pid})\n`);
  await new Promise<void>((resolve) => {
    const alive = setInterval(() => {}, 60_000); // signal listeners alone do not keep Node running
    const done = () => {
      clearInterval(alive);
      process.off("SIGUSR2", done);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    process.once("SIGUSR2", done);
    signal?.addEventListener("abort", done);
  });
}
