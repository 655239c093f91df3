/**
 * A synth worker process (see pool.ts): synthesizes each environment its parent sends into the staging
 * directory it names, one at a time, and replies with the stack's manifest entry or the error.
 */

import { cheapStackTraces } from "../cdktf/cheap-stack-traces";
import type { ResolvedEnvironment } from "../config/model";
import { prepare, type Synthesized, synthesizeOne } from "./synthesize-one";
import { reportUsageAtExit } from "./usage-report";

export interface WorkRequest {
  env: ResolvedEnvironment;
  outdir: string;
}

export type WorkReply = { synthesized: Synthesized; ms: number } | { error: string };

async function work({ env, outdir }: WorkRequest): Promise<WorkReply> {
  await prepare([env]);
  const started = performance.now();
  const synthesized = synthesizeOne(env, outdir);
  return { synthesized, ms: performance.now() - started };
}

export function serve(): void {
  // Signals are the parent's to handle: a Ctrl-C reaches the whole process group, and the parent stops its
  // workers itself. A parent that dies closes the channel, and the worker goes with it.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => {});
  process.on("disconnect", () => process.exit(0));
  reportUsageAtExit("worker");
  cheapStackTraces(); // for the worker's whole life: it only ever synthesizes
  // One request at a time, in the order they came, each answered when done.
  let queue = Promise.resolve();
  process.on("message", (request: WorkRequest) => {
    queue = queue.then(async () => {
      let reply: WorkReply;
      try {
        reply = await work(request);
      } catch (err) {
        reply = { error: process.env.MESHFORM_DEBUG ? String((err as Error).stack) : (err as Error).message };
      }
      process.send!(reply);
    });
  });
}

if (require.main === module) serve();
