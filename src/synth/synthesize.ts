/**
 * Synthesizes environments into a staging directory: each stack in its own cdktf App, in this process or,
 * when there is enough work, across worker processes. Either way each stack's JSON is the same.
 */
import { availableParallelism } from "node:os";
import { withCheapStackTraces } from "../cdktf/cheap-stack-traces";
import type { ResolvedEnvironment } from "../config/model";
import { Interrupted } from "../output/interrupted";
import { type WriteOptions, writeOutput } from "../output/write-output";
import { cdktfVersion } from "./fingerprint";
import { SynthPool } from "./pool";
import type { Synthesized } from "./synthesize-one";

/**
 * Below this much YAML to synthesize, one process is faster: a worker costs a Node start and its own load of
 * cdktf and the provider classes (~0.3 s of CPU), about what 100 services take to synthesize.
 */
export const PARALLEL_MIN_BYTES = 128 * 1024;

export interface SynthOptions extends WriteOptions {
  /** At most this many processes synthesize at once (1: in this process); by default one per core. */
  jobs?: number;
  /** Told as each stack is written. */
  onStack?: (name: string, done: { result: Synthesized; ms: number }) => void;
}

/**
 * How many worker processes `files` files holding `bytes` of YAML get: 0 means synthesize here. By default
 * one per core once there is enough work; `jobs` (the user's --jobs) is obeyed as given.
 */
export function workersFor(files: number, bytes: number, jobs?: number): number {
  const n = Math.min(jobs ?? availableParallelism(), files);
  return n >= 2 && (jobs !== undefined || bytes >= PARALLEL_MIN_BYTES) ? n : 0;
}

/**
 * Writes each environment's stack into `staging`, largest first, through `pool` when given (which is then
 * closed), else here. Returns every stack's manifest entry and output hash.
 */
export async function synthesizeInto(
  staging: string,
  environments: readonly ResolvedEnvironment[],
  options: SynthOptions & { pool?: SynthPool | undefined },
): Promise<Record<string, Synthesized>> {
  const { pool, signal, onStack } = options;
  const results: Record<string, Synthesized> = {};
  if (environments.length === 0) {
    await pool?.close();
    return results;
  }
  const order = [...environments].sort((a, b) => b.services.length - a.services.length);
  if (pool) {
    const stop = () => void pool.close();
    signal?.addEventListener("abort", stop);
    try {
      await Promise.all(
        order.map(async (env) => {
          const done = await pool.synthesize(env, staging);
          results[env.name] = done.result;
          onStack?.(env.name, done);
        }),
      );
      await pool.shutdown();
    } finally {
      signal?.removeEventListener("abort", stop);
      // Staging is removed after this returns: no worker may still be writing into it.
      await pool.close();
    }
    if (signal?.aborted) throw new Interrupted();
    return results;
  }
  const { prepare, synthesizeOne } = await import("./synthesize-one.js");
  await prepare(order);
  await withCheapStackTraces(async () => {
    for (const env of order) {
      if (signal?.aborted) throw new Interrupted();
      const started = performance.now();
      const result = synthesizeOne(env, staging);
      results[env.name] = result;
      onStack?.(env.name, { result, ms: performance.now() - started });
      await new Promise((resolve) => setImmediate(resolve)); // lets a pending signal be seen between environments
    }
  });
  return results;
}

/**
 * Synthesizes every one of `environments` into `outdir` (stacks of other environments are removed), with
 * no reuse: for tools that need fresh stacks of already-resolved environments, such as check:terraform.
 */
export async function synthesize(environments: readonly ResolvedEnvironment[], outdir: string, options: SynthOptions = {}): Promise<void> {
  await writeOutput(outdir, options, async (staging) => {
    const bytes = environments.reduce((n, e) => n + e.services.length * 300, 0); // ~300 bytes of YAML per service
    const workers = workersFor(environments.length, bytes, options.jobs);
    const results = await synthesizeInto(staging, environments, { ...options, pool: workers > 0 ? new SynthPool(workers) : undefined });
    return {
      version: cdktfVersion(),
      stacks: Object.fromEntries(Object.entries(results).map(([name, r]) => [name, r.manifest])),
      keep: [],
    };
  });
}
