/** Compiles once (incremental: a no-op when nothing changed) so tests run dist/src/cli.js as `npm run synth` does. */
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "."], { stdio: "inherit" });
}
