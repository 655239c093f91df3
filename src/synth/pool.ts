/**
 * Synth worker processes: one per core at most, each synthesizing whole environments (one cdktf App at a
 * time, freed after it is written), so no process holds more than one stack in memory and each stack's
 * JSON is what a sequential synth writes. Processes, not threads: cdktf's token map and construct tree are
 * per process, and each process's memory is bounded on its own. Jobs go to whichever worker is free first.
 */
import { type ChildProcess, fork } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ResolvedEnvironment } from "../config/model";
import { Interrupted } from "../output/interrupted";
import type { Synthesized } from "./synthesize-one";
import type { WorkReply, WorkRequest } from "./worker";

/** A worker's V8 heap limit: one 200-service stack needs about a quarter of it. */
export const MAX_HEAP_MB = 1024;

export interface Done {
  result: Synthesized;
  /** Time spent synthesizing, in the worker. */
  ms: number;
}

interface Job {
  request: WorkRequest;
  resolve: (reply: WorkReply) => void;
  reject: (err: Error) => void;
}

interface Worker {
  child: ChildProcess;
  busy?: Job | undefined;
  /** Settles once the process has exited and been reaped: from then on it writes nothing. */
  exited: Promise<void>;
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/**
 * How to start a worker: through the launcher, which loads the bundle's `worker.js` with its code cache,
 * when this runs from a bundle the launcher started; else the compiled `worker.js` beside this module; else,
 * under a test runner, the TypeScript source through tsx.
 */
function workerEntry(): { script: string; args: string[]; execArgv: string[] } {
  const compiled = join(__dirname, "worker.js");
  const launcher = process.env.MESHFORM_LAUNCHER;
  if (launcher && existsSync(compiled) && existsSync(join(__dirname, "cli.js")))
    return { script: launcher, args: ["--worker", __dirname], execArgv: [] };
  if (existsSync(compiled)) return { script: compiled, args: [], execArgv: [] };
  return { script: join(__dirname, "worker.ts"), args: [], execArgv: ["--import", "tsx"] };
}

export class SynthPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Job[] = [];
  private closed = false;

  /** Starts `size` workers at once: each loads cdktf while the caller is still reading configs. */
  constructor(readonly size: number) {
    const { script, args, execArgv } = workerEntry();
    for (let i = 0; i < size; i++) {
      const child = fork(script, args, {
        execArgv: [...execArgv, `--max-old-space-size=${MAX_HEAP_MB}`],
        serialization: "advanced",
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      const exited = new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.once("error", () => child.pid === undefined && resolve()); // never started: nothing to wait for
      });
      const worker: Worker = { child, exited };
      child.on("message", (reply: WorkReply) => this.finished(worker, reply));
      child.on("exit", (code, signal) => this.exited(worker, code, signal));
      // A send to, or a kill of, a worker that is going away: its "exit", which follows, settles its job.
      child.on("error", () => {});
      this.workers.push(worker);
    }
  }

  /** Synthesizes `env` into `outdir` in the next free worker. */
  async synthesize(env: ResolvedEnvironment, outdir: string): Promise<Done> {
    const reply = (await this.submit({ env, outdir })) as { synthesized: Synthesized; ms: number };
    return { result: reply.synthesized, ms: reply.ms };
  }

  /** Lets every worker finish and exit (they are idle once every job settled); resolves when they have. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const { child } of this.workers) if (!hasExited(child) && child.connected) child.disconnect();
    await this.allExited();
  }

  /**
   * Stops every worker at once (their work is in staging, which the caller discards) and resolves once
   * every one has exited. The caller must wait for that before it removes staging: a worker killed but not
   * yet gone may still be writing into it, and then the removal fails (ENOTEMPTY) or staging comes back.
   */
  close(): Promise<void> {
    this.closed = true;
    for (const worker of this.workers) {
      if (!hasExited(worker.child)) worker.child.kill("SIGKILL");
      worker.busy?.reject(new Interrupted());
      worker.busy = undefined;
    }
    for (const job of this.queue.splice(0)) job.reject(new Interrupted());
    return this.allExited();
  }

  private async allExited(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.exited));
  }

  private submit(request: WorkRequest): Promise<WorkReply> {
    if (this.closed) return Promise.reject(new Interrupted());
    return new Promise<WorkReply>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const worker of this.workers) {
      if (worker.busy || hasExited(worker.child) || !worker.child.connected) continue;
      const job = this.queue.shift();
      if (!job) continue;
      worker.busy = job;
      worker.child.send(job.request);
    }
  }

  private finished(worker: Worker, reply: WorkReply): void {
    const job = worker.busy;
    if (!job) return;
    worker.busy = undefined;
    if ("error" in reply) job.reject(new Error(reply.error));
    else job.resolve(reply);
    this.dispatch();
  }

  private exited(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.closed) return;
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    const err = new Error(
      `a synth worker ${how}${code === 134 || signal === "SIGABRT" ? `: out of memory (over ${MAX_HEAP_MB} MB)?` : ""}`,
    );
    worker.busy?.reject(err);
    worker.busy = undefined;
    if (this.workers.every((w) => hasExited(w.child))) for (const job of this.queue.splice(0)) job.reject(err);
  }
}
