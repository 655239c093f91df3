/**
 * Before any test: compiles with tsc (incremental: a no-op when nothing changed) for the scripts tests run
 * from dist/, builds the launcher's bundle, so that tests start the CLI as `npm run synth` does and no two
 * tests build it at once, and bundles the services once for every test that runs them as processes.
 *
 * Every test process, and what it starts, makes its scratch files in one directory of this run (TMPDIR),
 * removed when the run ends: nothing a test leaves, nor a process a test killed, outlives `npm test`.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildServices } from "../src/services/build";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the services' bundles are: `<dir>/<service>/main.js`, as the images carry them. */
    serviceBundles: string;
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited with ${code}`))));
  });
}

export default async function setup(project: TestProject): Promise<() => void> {
  const scratch = mkdtempSync(join(tmpdir(), "meshform-test-"));
  chmodSync(scratch, 0o755); // as root, some tests run the CLI as nobody in working directories under it
  process.env.TMPDIR = scratch; // read by os.tmpdir() in the test workers, which start after this
  const teardown = () => rmSync(scratch, { recursive: true, force: true });
  try {
    const bundles = join(scratch, "service-bundles");
    // Both finish before anything is removed: a failed tsc must not leave the bundles being written into a removed directory.
    const steps = await Promise.allSettled([run(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "."]), buildServices(bundles)]);
    const failed = steps.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    (createRequire(__filename)("../bin/meshform.js") as { ensureBuilt: () => string }).ensureBuilt();
    project.provide("serviceBundles", bundles);
  } catch (err) {
    teardown();
    throw err;
  }
  return teardown;
}
