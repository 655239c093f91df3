/**
 * Before any test: compiles with tsc (incremental: a no-op when nothing changed) for the scripts tests run
 * from dist/, and builds the launcher's bundle, so that tests start the CLI as `npm run synth` does and no
 * two tests build it at once.
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

export default function setup(): void {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "."], { stdio: "inherit" });
  (createRequire(__filename)("../bin/meshform.js") as { ensureBuilt: () => string }).ensureBuilt();
}
