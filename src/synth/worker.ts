/**
 * A synth worker process (see pool.ts): synthesizes each environment its parent sends into the staging
 * directory it names, one at a time, and replies with the stack's manifest entry or the error.
 */
import type { ResolvedEnvironment } from "../config/model";
import { cheapStackTraces } from "./cheap-stack-traces";
import { type Synthesized, synthesizeOne } from "./synthesize-one";
import { reportUsageAtExit } from "./usage-report";

export interface WorkRequest {
  env: ResolvedEnvironment;
  outdir: string;
}

export type WorkReply = { synthesized: Synthesized; ms: number } | { error: string };

function work({ env, outdir }: WorkRequest): WorkReply {
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
  process.on("message", (request: WorkRequest) => {
    let reply: WorkReply;
    try {
      reply = work(request);
    } catch (err) {
      reply = { error: process.env.MESHFORM_DEBUG ? String((err as Error).stack) : (err as Error).message };
    }
    process.send!(reply);
  });
}

if (require.main === module) serve();
