/** Writes the Terraform of validated environments into cdktf.out, all or nothing. */
import { existsSync, renameSync, rmSync } from "node:fs";
import { App } from "cdktf";
import { EnvironmentStack } from "../stacks/environment-stack";
import type { ResolvedEnvironment } from "./config/model";

/** Builds the app in memory; synthesis writes to `outdir`. */
export function buildApp(environments: readonly ResolvedEnvironment[], outdir: string): App {
  const app = new App({ outdir });
  for (const env of environments) new EnvironmentStack(app, env);
  return app;
}

/**
 * Synthesizes into a sibling directory and only then replaces `outdir`, so a failure part-way never
 * leaves a half-written cdktf.out behind.
 */
export function synthesize(environments: readonly ResolvedEnvironment[], outdir: string): void {
  const staging = `${outdir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  try {
    buildApp(environments, staging).synth();
    rmSync(outdir, { recursive: true, force: true });
    renameSync(staging, outdir);
  } finally {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
}
