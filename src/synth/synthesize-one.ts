/** One environment's stack, synthesized on its own: the unit of work of every synth, in or out of process. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, type StackManifest, TerraformResource } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import type { ResolvedEnvironment } from "../config/model";
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

/**
 * Writes one environment's stack under `outdir` (`stacks/<env>/cdk.tf.json`, which must not exist yet) in
 * its own cdktf App. What App.synth() does, through cdktf's public API, minus its first pass: App.synth()
 * resolves every element once more beforehand (TerraformStack.prepareStack) only to find references between
 * stacks, and an app that holds one stack has none. The output is byte for byte App.synth()'s (a test
 * compares). Run it inside cheapStackTraces().
 */
export function synthesizeOne(env: ResolvedEnvironment, outdir: string): Synthesized {
  const app = new App({ outdir });
  const stack = new EnvironmentStack(app, env);
  stack.ensureBackendExists(); // the rest of what prepareStack does
  stack.synthesizer.synthesize({ outdir, skipValidation: false, manifest: app.manifest });
  const errors = app.node.validate();
  if (errors.length > 0) throw new Error(`cdktf validation failed:\n  ${errors.join("\n  ")}`);
  const manifest = app.manifest.stacks[env.name]!;
  const written = readFileSync(join(outdir, manifest.synthesizedStackPath));
  return {
    manifest,
    output: sha256(written),
    bytes: written.length,
    resources: stack.node.findAll().filter(TerraformResource.isTerraformResource).length,
  };
}
