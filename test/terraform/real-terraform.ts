/** Whether real Terraform and a provider mirror are here; tests that need them skip, saying why, where not. */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { findMirror } from "../../src/terraform/mirror";

export const mirror = findMirror();

const terraform = (() => {
  try {
    const env = { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" };
    return execFileSync("terraform", ["version"], { encoding: "utf8", env }).split("\n")[0];
  } catch {
    return undefined;
  }
})();

export const skipped = "reason" in mirror ? mirror.reason : terraform ? undefined : "terraform is not on the PATH";

/** A describe() title that says when and why it was skipped. */
export const titled = (title: string) => `${title}${skipped ? ` (SKIPPED: ${skipped})` : ""}`;

/** A working directory for checkTerraform, kept (and its results reused) between runs. */
export const workdir = (name: string) => resolve("node_modules/.cache/meshform", name);
