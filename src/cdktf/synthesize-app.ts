/**
 * Writes one stack in its own cdktf App: what App.synth() does, through the stack's synthesizer and the
 * app's manifest, minus its first pass. App.synth() resolves every element once more beforehand
 * (TerraformStack.prepareStack) only to find references between stacks, and an app that holds one stack has
 * none. The output is byte for byte App.synth()'s (test/cdktf/synthesize-app.test.ts compares). Run it inside
 * cheapStackTraces().
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, type StackManifest, TerraformResource, type TerraformStack } from "cdktf";

export interface SynthesizedApp {
  /** The stack's entry in cdktf's manifest.json. */
  manifest: StackManifest;
  /** The cdk.tf.json written. */
  written: Buffer;
  /** How many resources it holds. */
  resources: number;
}

/** Writes the stack `build` makes under `outdir` (`stacks/<name>/cdk.tf.json`, which must not exist yet). */
export function synthesizeApp(name: string, outdir: string, build: (app: App) => TerraformStack): SynthesizedApp {
  const app = new App({ outdir });
  const stack = build(app);
  stack.ensureBackendExists(); // the rest of what prepareStack does
  stack.synthesizer.synthesize({ outdir, skipValidation: false, manifest: app.manifest });
  const errors = app.node.validate();
  if (errors.length > 0) throw new Error(`cdktf validation failed:\n  ${errors.join("\n  ")}`);
  const manifest = app.manifest.stacks[name]!;
  return {
    manifest,
    written: readFileSync(join(outdir, manifest.synthesizedStackPath)),
    resources: stack.node.findAll().filter(TerraformResource.isTerraformResource).length,
  };
}
