/**
 * `npm run check:terraform [-- --config-dir DIR] [--env NAME] [--plan-json FILE]`: synthesizes the
 * environments into a scratch directory (cdktf.out is not touched) and runs them through real Terraform
 * offline (see check.ts). Exit 0 when every stack plans, 1 when one does not or the check cannot run, 2 for
 * bad usage (`--help` prints the usage).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatDiagnostic, hasErrors, shown } from "../config/diagnostics";
import { loadEnvironments } from "../environments";
import { synthesize } from "../synth/synthesize";
import { checkTerraform, MIN_TERRAFORM, terraformVersion } from "./check";
import { compareVersions, findMirror } from "./mirror";
import type { Json } from "./offline";

export const WORKDIR = "node_modules/.cache/meshform/terraform-check";

const USAGE = [
  "usage: npm run check:terraform [-- --config-dir DIR] [--env NAME] [--plan-json FILE]",
  "  synthesizes the environments into a scratch directory and runs every stack through real Terraform, offline:",
  "  init from a local provider mirror (TF_PLUGIN_MIRROR, else Terraform's implied mirrors), then plan.",
  "  --config-dir DIR   environments from DIR (default: config)",
  "  --env NAME         only this environment",
  "  --plan-json FILE   also write the plan of every stack (as modules) as terraform show -json writes it",
  "  exit 0: every stack plans; 1: one does not, or the check cannot run; 2: bad usage",
].join("\n");

async function main(): Promise<number> {
  let values: { "config-dir"?: string; env?: string; "plan-json"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        "config-dir": { type: "string", default: "config" },
        env: { type: "string" },
        "plan-json": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    console.error(`check:terraform: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const mirror = findMirror();
  if ("reason" in mirror) {
    console.error(`check:terraform: cannot run: ${mirror.reason}`);
    return 1;
  }
  let version: string;
  try {
    version = await terraformVersion();
  } catch (err) {
    console.error(`check:terraform: cannot run: ${(err as Error).message}`);
    return 1;
  }
  if (compareVersions(version, MIN_TERRAFORM) < 0) {
    console.error(
      `check:terraform: Terraform ${version} is too old: the stacks' S3 backend needs ${MIN_TERRAFORM} or newer (use_lockfile)`,
    );
    return 1;
  }
  const { environments, diagnostics } = loadEnvironments(values["config-dir"]!, values.env);
  for (const d of shown(diagnostics)) console.error(formatDiagnostic(d));
  if (hasErrors(diagnostics)) return 1;
  const outdir = join(mkdtempSync(join(tmpdir(), "meshform-check-")), "cdktf.out");
  try {
    await synthesize(environments, outdir);
    const stacks: Record<string, Json> = {};
    for (const env of environments) stacks[env.name] = JSON.parse(readFileSync(join(outdir, "stacks", env.name, "cdk.tf.json"), "utf8"));
    const started = Date.now();
    const result = await checkTerraform(stacks, {
      mirror,
      workdir: resolve(WORKDIR),
      ...(values["plan-json"] && { planJson: resolve(values["plan-json"]) }),
    });
    const took = result.cached ? "the same stacks were checked before: result reused" : `${((Date.now() - started) / 1000).toFixed(1)} s`;
    console.log(
      `Terraform ${result.terraform}, AWS provider ${result.provider} (the stacks pin their own; checked against this one); ${took}`,
    );
    for (const s of result.stacks) {
      const plan = s.plan ? `plan: ${s.plan.add} to add, ${s.plan.change} to change, ${s.plan.destroy} to destroy` : "no plan";
      console.log(`${s.ok ? "ok  " : "FAIL"} ${s.name.padEnd(12)} ${plan}`);
      for (const p of s.problems) console.log(`       ${p}`);
      for (const u of s.unverified) console.log(`       not verified (newer than the mirror's provider): ${u}`);
    }
    return result.stacks.every((s) => s.ok) ? 0 : 1;
  } finally {
    rmSync(join(outdir, ".."), { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    console.error(`check:terraform: ${err.message}`);
    process.exitCode = 1;
  },
);
