/** One environment's stack, synthesized on its own: the unit of work of every synth, in or out of process. */
import type { StackManifest } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { synthesizeApp } from "../cdktf/synthesize-app";
import type { ResolvedEnvironment } from "../config/model";
import { loadStacks } from "../providers";
import { sha256 } from "./fingerprint";

export interface Synthesized {
  /** The stack's entry in cdktf's manifest.json. */
  manifest: StackManifest;
  /** sha256 of the cdk.tf.json written. */
  output: string;
  /** Its size in bytes. */
  bytes: number;
  /** How many resources it holds. */
  resources: number;
}

/** Loads what building the stacks of `environments` needs (each provider's construct half). */
export const prepare = (environments: readonly ResolvedEnvironment[]) =>
  loadStacks(environments.flatMap((e) => [e.mesh.provider, ...(e.mesh.movedFrom ? [e.mesh.movedFrom.provider] : [])]));

/** Writes one environment's stack under `outdir`; its provider must be prepared. Run it inside cheapStackTraces(). */
export function synthesizeOne(env: ResolvedEnvironment, outdir: string): Synthesized {
  const { manifest, written, resources } = synthesizeApp(env.name, outdir, (app) => new EnvironmentStack(app, env));
  return { manifest, output: sha256(written), bytes: written.length, resources };
}
