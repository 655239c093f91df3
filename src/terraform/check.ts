/**
 * Real Terraform as a check: every stack, as a module of one root configuration, through `terraform init`
 * (offline, from a provider mirror) and `terraform plan` (which validates first) against a loopback STS.
 * One root keeps it to one init; each stack still gets its own provider configuration, as when deployed.
 * A result (and its plan) is a pure function of what is checked, so it is kept under the work directory
 * and reused while the stacks, Terraform and the provider stay the same, whether they passed or not.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { startAwsStub } from "./aws-stub";
import { jsonAttributeProblems } from "./json-attributes";
import type { Mirror } from "./mirror";
import { type Json, offlineStack } from "./offline";

const run = promisify(execFile);

/** S3-native state locking (`use_lockfile`) needs Terraform 1.10. */
export const MIN_TERRAFORM = "1.10.0";

export interface StackReport {
  name: string;
  ok: boolean;
  /** Planned actions, when the plan ran. */
  plan?: { add: number; change: number; destroy: number };
  problems: string[];
  /** Attributes taken out because the mirror's provider predates them. */
  unverified: string[];
}

export interface CheckResult {
  terraform: string;
  provider: string;
  stacks: StackReport[];
  /** The same stacks were checked with the same Terraform and provider before: this is that result. */
  cached: boolean;
}

export interface CheckOptions {
  mirror: Mirror;
  /** Kept between runs: Terraform's working directory and the results of earlier checks. */
  workdir: string;
  terraform?: string;
  /** Where to write `terraform show -json` of the plan (all stacks, as modules). */
  planJson?: string;
}

/** No user CLI configuration (an empty one, so a TF_CLI_CONFIG_FILE naming a missing file does not warn). */
const ENV = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" };

async function terraform(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  try {
    return await run(bin, args, { cwd, env, maxBuffer: 512 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number | string };
    if (e.code === "ENOENT") throw new Error(`${bin} is not on the PATH`);
    return { stdout: e.stdout ?? "", stderr: e.stderr ?? "", failed: true };
  }
}

export async function terraformVersion(bin = "terraform"): Promise<string> {
  const { stdout } = await terraform(bin, ["version", "-json"], ".", ENV);
  return (JSON.parse(stdout) as { terraform_version: string }).terraform_version;
}

/** The stack a plan diagnostic belongs to: its file (stacks/<name>/…) or its address (module.<name>.…). */
function stackOf(diagnostic: Json): string | undefined {
  const file: string | undefined = diagnostic.range?.filename;
  const address: string | undefined = diagnostic.address;
  return /^stacks\/([^/]+)\//.exec(file ?? "")?.[1] ?? /^module\.([^.[]+)/.exec(address ?? "")?.[1];
}

function summarize(diagnostic: Json): string {
  const where = diagnostic.range ? `${diagnostic.range.filename}:${diagnostic.range.start.line}: ` : "";
  return `${where}${diagnostic.summary}${diagnostic.detail ? `: ${String(diagnostic.detail).split("\n")[0]}` : ""}`;
}

export async function checkTerraform(stacks: Record<string, Json>, options: CheckOptions): Promise<CheckResult> {
  const bin = options.terraform ?? process.env.TERRAFORM ?? "terraform";
  const version = await terraformVersion(bin);
  const provider = `${options.mirror.version} from ${options.mirror.dir}`;
  const names = Object.keys(stacks).sort();
  const offline = Object.fromEntries(names.map((n) => [n, offlineStack(stacks[n]!, options.mirror.version, "STS")]));
  const key = createHash("sha256")
    .update(JSON.stringify({ version, provider: options.mirror.version, stacks: names.map((n) => offline[n]!.stack) }))
    .digest("hex")
    .slice(0, 32);
  const cacheFile = join(options.workdir, "results", `${key}.json`);
  const cachedPlan = join(options.workdir, "results", `${key}.plan.json`);
  if (existsSync(cacheFile) && (!options.planJson || existsSync(cachedPlan))) {
    if (options.planJson) copyFileSync(cachedPlan, options.planJson);
    return { ...(JSON.parse(readFileSync(cacheFile, "utf8")) as CheckResult), cached: true };
  }
  mkdirSync(join(options.workdir, "results"), { recursive: true });

  const reports = new Map<string, StackReport>(
    names.map((n) => [n, { name: n, ok: true, problems: jsonAttributeProblems(stacks[n]!), unverified: offline[n]!.unverified }]),
  );
  const sts = await startAwsStub();
  try {
    const root = join(options.workdir, "root");
    rmSync(join(root, "stacks"), { recursive: true, force: true });
    for (const n of names) {
      mkdirSync(join(root, "stacks", n), { recursive: true });
      const { stack } = offlineStack(stacks[n]!, options.mirror.version, sts.url);
      writeFileSync(join(root, "stacks", n, "main.tf.json"), JSON.stringify(stack, null, 1));
    }
    writeFileSync(
      join(root, "main.tf.json"),
      JSON.stringify({
        terraform: { required_providers: { aws: { source: "hashicorp/aws", version: options.mirror.version } } },
        module: Object.fromEntries(names.map((n) => [n, { source: `./stacks/${n}` }])),
      }),
    );
    const rc = join(options.workdir, "terraformrc");
    writeFileSync(rc, "disable_checkpoint = true\n");
    const env = { ...ENV, TF_CLI_CONFIG_FILE: rc };
    const init = await terraform(bin, ["init", "-input=false", "-no-color", `-plugin-dir=${options.mirror.dir}`], root, env);
    if ("failed" in init) {
      for (const r of reports.values())
        r.problems.push(`terraform init failed: ${(init.stderr || init.stdout).trim().split("\n").slice(0, 3).join(" ")}`);
    } else {
      const plan = await terraform(
        bin,
        ["plan", "-input=false", "-lock=false", "-refresh=false", "-no-color", "-json", "-out=plan.bin"],
        root,
        env,
      );
      const planned = new Map(names.map((n) => [n, { add: 0, change: 0, destroy: 0 }]));
      for (const line of plan.stdout.split("\n")) {
        if (!line.startsWith("{")) continue;
        const message = JSON.parse(line) as Json;
        if (message.type === "planned_change") count(planned, message.change);
        if (message.type !== "diagnostic" || message.diagnostic?.severity !== "error") continue;
        const owner = stackOf(message.diagnostic);
        for (const r of owner ? [reports.get(owner)!] : reports.values()) r.problems.push(summarize(message.diagnostic));
      }
      if (!("failed" in plan)) {
        for (const r of reports.values()) r.plan = planned.get(r.name)!;
        // `terraform show` loads the provider's schema all over again (a third of the check): only on request.
        if (options.planJson) {
          const shown = await terraform(bin, ["show", "-json", "plan.bin"], root, env);
          writeFileSync(cachedPlan, shown.stdout);
          copyFileSync(cachedPlan, options.planJson);
        }
      } else if ([...reports.values()].every((r) => r.problems.length === 0)) {
        for (const r of reports.values()) r.problems.push(`terraform plan failed: ${plan.stderr.trim().split("\n")[0]}`);
      }
    }
  } finally {
    await sts.close();
  }
  for (const r of reports.values()) r.ok = r.problems.length === 0;
  const result: CheckResult = { terraform: version, provider, stacks: [...reports.values()], cached: false };
  writeFileSync(cacheFile, JSON.stringify(result));
  return result;
}

/** Counts one `planned_change` message of `terraform plan -json` against its stack (the module it is in). */
function count(planned: Map<string, { add: number; change: number; destroy: number }>, change: Json): void {
  const totals = planned.get(/^module\.([^.[]+)/.exec(change?.resource?.addr ?? "")?.[1] ?? "");
  if (!totals) return;
  const action: string = change.action;
  if (action === "create" || action === "replace") totals.add++;
  if (action === "update") totals.change++;
  if (action === "delete" || action === "replace") totals.destroy++;
}
