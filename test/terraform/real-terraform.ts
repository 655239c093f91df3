/** Whether real Terraform and a provider mirror are here; tests that need them skip, saying why, where not. */
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { expect, onTestFinished } from "vitest";
import { startAwsStub } from "../../src/terraform/aws-stub";
import { findMirror } from "../../src/terraform/mirror";
import { offlineStack } from "../../src/terraform/offline";
import type { Json } from "../stack-helpers";

const run = promisify(execFile);

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

/**
 * A Terraform working directory holding `stack` (its offline copy, against a loopback AWS stand-in) and `state`,
 * initialised from the mirror when first needed and removed when the test finishes. `plan` runs `terraform plan
 * -json` in it (`-refresh=false` to plan from the state as written) and returns its messages, after checking it had
 * no error. A plan is a pure function of the stack, the state, the flags, Terraform and the provider, so its messages
 * are kept under the cache (as the offline check keeps its results) and reused while none of them changes.
 */
export async function stateWorkdir(stack: Json, state: unknown, prefix: string) {
  if ("reason" in mirror) throw new Error(mirror.reason);
  const { dir: pluginDir, version } = mirror;
  let current = stack;
  let ready: Promise<{ dir: string; env: NodeJS.ProcessEnv; url: string }> | undefined;
  const setUp = () =>
    (ready ??= (async () => {
      const dir = mkdtempSync(join(tmpdir(), `meshform-${prefix}-`));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const aws = await startAwsStub();
      onTestFinished(() => aws.close());
      // init installs the providers the configuration names: the stack is there first.
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify(offlineStack(current, version, aws.url).stack));
      writeFileSync(join(dir, "terraform.tfstate"), JSON.stringify(state));
      writeFileSync(join(dir, "rc"), "disable_checkpoint = true\n");
      const env = { ...process.env, TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: join(dir, "rc"), CHECKPOINT_DISABLE: "1" };
      await run("terraform", ["init", "-input=false", "-no-color", `-plugin-dir=${pluginDir}`], { cwd: dir, env });
      return { dir, env, url: aws.url };
    })());
  return {
    /** Replaces the stack planned, keeping the state. */
    write(s: Json): void {
      current = s;
    },
    async plan(...flags: string[]): Promise<Json[]> {
      const input = JSON.stringify({ stack: offlineStack(current, version, "http://aws.invalid").stack, state, flags, version, terraform });
      const cached = workdir(`state-plans/${createHash("sha256").update(input).digest("hex")}.json`);
      let messages: Json[];
      if (existsSync(cached)) messages = JSON.parse(readFileSync(cached, "utf8"));
      else {
        const { dir, env, url } = await setUp();
        writeFileSync(join(dir, "main.tf.json"), JSON.stringify(offlineStack(current, version, url).stack));
        const { stdout } = await run("terraform", ["plan", "-input=false", "-no-color", "-json", ...flags], {
          cwd: dir,
          env,
          maxBuffer: 64 * 1024 * 1024,
        }).catch((err: { stdout: string }) => ({ stdout: err.stdout }));
        messages = stdout
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l) as Json);
        // Only a plan without errors is kept: a failure is looked at again next time.
        if (!messages.some((m) => m.type === "diagnostic" && m.diagnostic.severity === "error")) {
          mkdirSync(dirname(cached), { recursive: true });
          writeFileSync(cached, JSON.stringify(messages));
        }
      }
      expect(messages.filter((m) => m.type === "diagnostic" && m.diagnostic.severity === "error")).toEqual([]);
      return messages;
    },
  };
}
