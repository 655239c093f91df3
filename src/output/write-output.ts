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
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Manifest, type StackManifest } from "cdktf";
import { io, ioError, OutputError } from "./errors";
import { acquireLock } from "./lock";

export const STAGING_DIR = ".meshform-staging";
export const COMMIT_DIR = ".meshform-commit";
const PLAN_FILE = "commit.json";

/** The run was interrupted (Ctrl-C, SIGTERM, SIGHUP) before the new output was sealed: nothing changed. */
export class Interrupted extends Error {
  constructor() {
    super("interrupted; the previous output is unchanged");
  }
}

export interface Staged {
  /** cdktf's version, as its manifest records it. */
  version: string;
  /** The manifest entry of every stack written into the staging directory's `stacks/`. */
  stacks: Record<string, StackManifest>;
}

export interface WriteOptions {
  /** Stacks of the current output to keep as they are: environments that exist but were not synthesized. */
  keep?: (name: string) => boolean;
  /** Aborted by a signal: honoured until the output is sealed, then the commit completes. */
  signal?: AbortSignal;
}

/** Synthesizes through `stage` (which writes cdktf's layout into the directory it is given) and commits. */
export async function writeOutput(outdir: string, options: WriteOptions, stage: (dir: string) => Promise<Staged>): Promise<void> {
  const { keep = () => false, signal } = options;
  createOutdir(outdir);
  const lock = acquireLock(outdir);
  const staging = join(outdir, STAGING_DIR);
  try {
    await recover(outdir);
    io(staging, () => mkdirSync(staging));
    await hold("stage", signal);
    const staged = await stage(staging);
    if (signal?.aborted) throw new Interrupted();
    seal(outdir, staged, keep);
    await commit(outdir, signal);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    lock.release();
  }
}

function createOutdir(outdir: string): void {
  try {
    mkdirSync(outdir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      if (!statSync(outdir).isDirectory()) throw new OutputError(outdir, "exists and is not a directory");
      return;
    }
    if (code === "ENOENT") throw new OutputError(outdir, `its parent directory ${dirname(outdir)} does not exist`);
    throw ioError(err, outdir);
  }
}

function readManifest(outdir: string): Record<string, StackManifest> {
  try {
    return (JSON.parse(readFileSync(join(outdir, Manifest.fileName), "utf8")) as { stacks?: Record<string, StackManifest> }).stacks ?? {};
  } catch {
    return {}; // no previous output, or not one of ours: nothing to keep
  }
}

const stackDirs = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];

/** Writes the merged manifest and the commit plan into staging, checks the targets, and renames staging to the commit directory. */
function seal(outdir: string, staged: Staged, keep: (name: string) => boolean): void {
  const staging = join(outdir, STAGING_DIR);
  const previous = readManifest(outdir);
  const kept = Object.keys(previous).filter((name) => !(name in staged.stacks) && keep(name) && existsSync(join(outdir, Manifest.stacksFolder, name)));
  const manifest = new Manifest(staged.version, staging, false);
  for (const name of kept) manifest.stacks[name] = previous[name]!;
  Object.assign(manifest.stacks, staged.stacks);
  io(join(staging, Manifest.fileName), () => manifest.writeToFile());
  const outStacks = join(outdir, Manifest.stacksFolder);
  const remove = stackDirs(outStacks).filter((name) => !(name in manifest.stacks) && !keep(name));
  io(join(staging, PLAN_FILE), () => writeFileSync(join(staging, PLAN_FILE), JSON.stringify({ remove })));
  // Fail before sealing, not half-way through the commit, when a stack directory cannot be written.
  for (const name of Object.keys(staged.stacks)) {
    const target = join(outStacks, name);
    if (existsSync(target)) io(target, () => accessSync(target, constants.W_OK));
  }
  if (existsSync(outStacks)) io(outStacks, () => accessSync(outStacks, constants.W_OK));
  io(join(outdir, COMMIT_DIR), () => renameSync(staging, join(outdir, COMMIT_DIR)));
}

/** Moves a sealed output into place; safe to run again after it was cut short. */
async function commit(outdir: string, signal?: AbortSignal): Promise<void> {
  const sealed = join(outdir, COMMIT_DIR);
  const { remove } = JSON.parse(readFileSync(join(sealed, PLAN_FILE), "utf8")) as { remove: string[] };
  const from = join(sealed, Manifest.stacksFolder);
  for (const name of stackDirs(from)) {
    const target = join(outdir, Manifest.stacksFolder, name);
    io(target, () => mkdirSync(target, { recursive: true }));
    for (const file of readdirSync(join(from, name))) {
      io(join(target, file), () => renameSync(join(from, name, file), join(target, file)));
    }
    await hold("commit", signal);
  }
  for (const name of remove) {
    const target = join(outdir, Manifest.stacksFolder, name);
    io(target, () => rmSync(target, { recursive: true, force: true }));
  }
  const manifest = join(sealed, Manifest.fileName);
  if (existsSync(manifest)) io(join(outdir, Manifest.fileName), () => renameSync(manifest, join(outdir, Manifest.fileName)));
  io(sealed, () => rmSync(sealed, { recursive: true, force: true }));
}

/** What an earlier run that was killed left behind: a sealed output is finished, a staging directory dropped. */
async function recover(outdir: string): Promise<void> {
  if (existsSync(join(outdir, COMMIT_DIR))) await commit(outdir);
  io(join(outdir, STAGING_DIR), () => rmSync(join(outdir, STAGING_DIR), { recursive: true, force: true }));
}

/**
 * Test hook: with MESHFORM_TEST_HOLD set to a phase ("stage", "commit"), the run says so on stderr and waits
 * there for a signal (SIGUSR2 continues), so tests can interrupt or kill it at a known point.
 */
async function hold(phase: string, signal?: AbortSignal): Promise<void> {
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
