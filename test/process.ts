/** The CLI as a real process, started as `npm run synth` starts it: for signals, concurrency, file permissions and exit codes. */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(".");
/** The launcher: it runs the bundle that test/global-setup.ts built. */
export const CLI = join(REPO, "bin/meshform.js");

export interface CliProcess {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  /** Resolves once stderr contains `text`. */
  waitFor: (text: string) => Promise<void>;
  /** Resolves once it has exited and all it wrote has been read. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Run as this uid/gid (root's tests drop to nobody, for whom file modes apply). */
  user?: { uid: number; gid: number };
  /** Another compiled entry point than the CLI, relative to the repository. */
  script?: string;
}

/**
 * The time limit of a test that runs `processes` CLI processes one after the other (or a few at once): Node's
 * start and a synth take a fraction of a second on an idle machine, and several seconds on a busy 2-core
 * one running the other test files beside it.
 */
export const processTimeout = (processes: number) => processes * 10_000;

export function startCli(args: string[], options: CliOptions): CliProcess {
  const child = spawn(process.execPath, [options.script ? join(REPO, options.script) : CLI, ...args], {
    cwd: options.cwd,
    // TMPDIR: the run's scratch directory (test/global-setup.ts), so that nothing a process leaves outlives the run.
    env: { PATH: process.env.PATH!, CHECKPOINT_DISABLE: "1", ...(process.env.TMPDIR && { TMPDIR: process.env.TMPDIR }), ...options.env },
    ...options.user,
  });
  let out = "";
  let err = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => {
    err += d;
    for (const w of waiters.filter((w) => err.includes(w.text))) w.resolve();
  });
  // "close", not "exit": a process's last lines may still be on their way when it has exited.
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once("close", (code, signal) => r({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (err.includes(text)) return resolve();
        waiters.push({ text, resolve });
        exit.then(({ code }) => reject(new Error(`exited with ${code} before "${text}":\n${err}`)));
      }),
    exit,
  };
}

/** The dev fixture is on App Mesh, so every run warns of its end of life first; these tests are about what follows. */
const END_OF_LIFE_LINE = /^\S+:\d+:\d+ mesh\.provider: warning: App Mesh reached end of life[^\n]*\n/gm;

export async function runCli(args: string[], options: CliOptions): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = startCli(args, options);
  const { code } = await p.exit;
  return { code, stdout: p.stdout(), stderr: p.stderr().replace(END_OF_LIFE_LINE, "") };
}

/** A fresh working directory whose config/ is a copy of the fixture environments, test/fixtures/envs (readable by any user). */
export function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "meshform-work-"));
  chmodSync(dir, 0o755);
  cpSync(join(REPO, "test/fixtures/envs"), join(dir, "config"), { recursive: true });
  return dir;
}

/**
 * A copy of the working directory `dir` (made once, say, with a first synth in it) for one test to change:
 * timestamps kept, so the copy's stacks are as current as the original's.
 */
export function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), "meshform-work-"));
  chmodSync(copy, 0o755);
  cpSync(dir, copy, { recursive: true, preserveTimestamps: true });
  return copy;
}

export const NOBODY = { uid: 65534, gid: 65534 };
export const isRoot = process.getuid?.() === 0;

/** Every file under `dir` (relative path → content), for before/after comparisons. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else files[rel] = readFileSync(join(dir, rel), "utf8");
    }
  };
  walk("");
  return files;
}
