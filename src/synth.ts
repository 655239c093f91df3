/** Synthesizes validated environments into cdktf.out: one cdktf App per environment, committed all or nothing. */
import { App } from "cdktf";
import { EnvironmentStack } from "../stacks/environment-stack";
import type { ResolvedEnvironment } from "./config/model";
import { Interrupted, type Staged, type WriteOptions, writeOutput } from "./output/write-output";

/** Builds one environment's app in memory; `synth()` writes it under `outdir`. */
export function buildApp(env: ResolvedEnvironment, outdir: string): App {
  const app = new App({ outdir });
  new EnvironmentStack(app, env);
  return app;
}

/** Each environment's stack goes to its own app, so none holds references to another and each is freed once written. */
export async function synthesize(environments: readonly ResolvedEnvironment[], outdir: string, options: WriteOptions = {}): Promise<void> {
  await writeOutput(outdir, options, async (staging): Promise<Staged> => {
    const staged: Staged = { version: "", stacks: {} };
    for (const env of environments) {
      if (options.signal?.aborted) throw new Interrupted();
      const app = buildApp(env, staging);
      app.synth();
      staged.version = app.manifest.version;
      Object.assign(staged.stacks, app.manifest.stacks);
      await new Promise((resolve) => setImmediate(resolve)); // lets a pending signal be seen between environments
    }
    return staged;
  });
}
