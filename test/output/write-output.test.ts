/**
 * cdktf.out is Terraform's working directory too: synth replaces what it generates and nothing else, one
 * writer at a time, and after any interruption the output is the old one or the new one, nothing between.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Manifest } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { loadEnvironments } from "../../src/environments";
import { manifestJson } from "../../src/output/write-output";
import { RECORD_FILE } from "../../src/synth/build-record";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { ENVS, edit } from "../helpers";
import { copyOf, isRoot, NOBODY, processTimeout, runCli, snapshot, startCli, workdir } from "../process";

/** What `terraform init` and `cdktf deploy` leave in a stack's working directory. */
function terraformFiles(outdir: string, env: string): void {
  const stack = join(outdir, "stacks", env);
  mkdirSync(join(stack, ".terraform/providers"), { recursive: true });
  writeFileSync(join(stack, ".terraform/providers/marker"), "provider");
  writeFileSync(join(stack, ".terraform.lock.hcl"), "# lock with checksums\n");
  writeFileSync(join(stack, "plan.out"), "a saved plan");
}

/** Each test runs up to three synths as processes, some of them at once. */
const PROCESS_TIMEOUT = processTimeout(3);
const synth = (cwd: string, ...args: string[]) => runCli(["synth", ...args], { cwd });

/** The shipped configs synthesized once, by the CLI as users run it; tests that start from there change a copy. */
let synthesized: string;
beforeAll(async () => {
  synthesized = workdir();
  const first = await synth(synthesized);
  if (first.code !== 0) throw new Error(`the first synth failed:\n${first.stderr}`);
}, processTimeout(1));
/** A working directory after a first synth of the shipped configs. */
const afterFirstSynth = () => copyOf(synthesized);
/** Edits one environment file of a working directory in place. */
function editConfig(cwd: string, env: string, from: string, to: string): void {
  const file = join(cwd, "config", `${env}.yaml`);
  writeFileSync(file, edit(readFileSync(file, "utf8"), from, to));
}

const stray = (outdir: string) => readdirSync(outdir).filter((n) => n.startsWith(".meshform"));

describe.concurrent("synth keeps Terraform's working files", { timeout: PROCESS_TIMEOUT }, () => {
  it("replaces each stack's cdk.tf.json and leaves .terraform/, the lock file and anything else in place", async () => {
    const cwd = afterFirstSynth();
    const outdir = join(cwd, "cdktf.out");
    terraformFiles(outdir, "dev");
    editConfig(cwd, "dev", "logRetentionDays: 7", "logRetentionDays: 14");
    expect((await synth(cwd)).code).toBe(0);
    const dev = join(outdir, "stacks/dev");
    expect(readFileSync(join(dev, ".terraform/providers/marker"), "utf8")).toBe("provider");
    expect(readFileSync(join(dev, ".terraform.lock.hcl"), "utf8")).toBe("# lock with checksums\n");
    expect(readFileSync(join(dev, "plan.out"), "utf8")).toBe("a saved plan");
    expect(readFileSync(join(dev, "cdk.tf.json"), "utf8")).toContain('"retention_in_days": 14');
    expect(stray(outdir)).toEqual([]);
  });

  it("removes the stacks of environments that no longer exist, and only those", async () => {
    const cwd = afterFirstSynth();
    const outdir = join(cwd, "cdktf.out");
    for (const env of ["dev", "staging"]) terraformFiles(outdir, env);
    unlinkSync(join(cwd, "config/staging.yaml"));
    expect((await synth(cwd)).code).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["dev", "prod", "qa"]);
    expect(existsSync(join(outdir, "stacks/dev/.terraform.lock.hcl"))).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks)).toEqual(["dev", "prod", "qa"]);
  });

  it("with --env, replaces that stack only; the others stay, in the manifest too", async () => {
    const cwd = afterFirstSynth();
    const outdir = join(cwd, "cdktf.out");
    const before = snapshot(outdir);
    editConfig(cwd, "prod", "desiredCount: 3", "desiredCount: 5");
    editConfig(cwd, "dev", "logRetentionDays: 7", "logRetentionDays: 14");
    expect((await synth(cwd, "--env", "dev")).code).toBe(0);
    const after = snapshot(outdir);
    expect(after["stacks/prod/cdk.tf.json"]).toBe(before["stacks/prod/cdk.tf.json"]);
    expect(after["stacks/staging/cdk.tf.json"]).toBe(before["stacks/staging/cdk.tf.json"]);
    expect(after["stacks/dev/cdk.tf.json"]).not.toBe(before["stacks/dev/cdk.tf.json"]);
    expect(after["manifest.json"]).toBe(before["manifest.json"]);
  });

  it("writes the manifest and stacks byte for byte as one cdktf App holding every stack would", async () => {
    const cwd = afterFirstSynth();
    const reference = join(cwd, "reference.out");
    const app = new App({ outdir: reference });
    for (const env of loadEnvironments(join(cwd, "config")).environments) new EnvironmentStack(app, env);
    app.synth();
    const {
      [`stacks/dev/${RECORD_FILE}`]: dev,
      [`stacks/prod/${RECORD_FILE}`]: prod,
      [`stacks/qa/${RECORD_FILE}`]: qa,
      [`stacks/staging/${RECORD_FILE}`]: staging,
      ...generated
    } = snapshot(join(cwd, "cdktf.out"));
    expect(generated).toEqual(snapshot(reference));
    for (const record of [dev, prod, qa, staging])
      expect(JSON.parse(record!)).toMatchObject({ format: 1, output: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});

describe.concurrent("synth under interruption and concurrency", { timeout: PROCESS_TIMEOUT }, () => {
  it("refuses a second synth while one is writing, naming its pid; the first completes", async () => {
    const cwd = workdir();
    const first = startCli(["synth"], { cwd, env: { MESHFORM_TEST_HOLD: "stage" } });
    await first.waitFor("holding at stage");
    const second = await synth(cwd);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `meshform: cannot write cdktf.out: another synth is writing it (pid ${first.child.pid}); if none is running, remove cdktf.out/.meshform.lock\n`,
    );
    first.child.kill("SIGUSR2");
    expect((await first.exit).code).toBe(0);
    expect(readdirSync(join(cwd, "cdktf.out/stacks")).sort()).toEqual(["dev", "prod", "qa", "staging"]);
    expect(stray(join(cwd, "cdktf.out"))).toEqual([]);
  });

  it("leaves one complete output when several synths race, each exiting 0 or refused", async () => {
    const cwd = workdir();
    const runs = await Promise.all([1, 2, 3, 4].map(() => synth(cwd)));
    for (const r of runs) {
      if (r.code !== 0) expect(r.stderr).toMatch(/^meshform: cannot write cdktf\.out: another synth is writing it \(pid \d+\)/);
    }
    expect(runs.some((r) => r.code === 0)).toBe(true);
    const outdir = join(cwd, "cdktf.out");
    expect(Object.keys(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks)).toEqual(["dev", "prod", "qa", "staging"]);
    for (const env of ["dev", "prod", "qa", "staging"])
      expect(JSON.parse(readFileSync(join(outdir, "stacks", env, "cdk.tf.json"), "utf8")).resource).toBeDefined();
    expect(stray(outdir)).toEqual([]);
  });

  it("on Ctrl-C while synthesizing, exits 130 with the old output untouched and nothing stray", async () => {
    const cwd = afterFirstSynth();
    const outdir = join(cwd, "cdktf.out");
    terraformFiles(outdir, "dev");
    const before = snapshot(outdir);
    editConfig(cwd, "dev", "logRetentionDays: 7", "logRetentionDays: 14");
    const run = startCli(["synth"], { cwd, env: { MESHFORM_TEST_HOLD: "stage" } });
    await run.waitFor("holding at stage");
    run.child.kill("SIGINT");
    expect((await run.exit).code).toBe(130);
    expect(run.stderr()).toContain("meshform: interrupted; cdktf.out is unchanged\n");
    expect(snapshot(outdir)).toEqual(before);
  });

  it("on Ctrl-C while committing, finishes the commit: the new output, whole, and nothing stray", async () => {
    const cwd = afterFirstSynth();
    const outdir = join(cwd, "cdktf.out");
    editConfig(cwd, "prod", "desiredCount: 3", "desiredCount: 5");
    const run = startCli(["synth"], { cwd, env: { MESHFORM_TEST_HOLD: "commit" } });
    await run.waitFor("holding at commit");
    run.child.kill("SIGINT");
    expect((await run.exit).code).toBe(130);
    expect(readFileSync(join(outdir, "stacks/prod/cdk.tf.json"), "utf8")).toContain('"desired_count": 5');
    expect(stray(outdir)).toEqual([]);
  });

  it("after a run is killed outright mid-commit, the next run finishes that commit before its own", async () => {
    const cwd = afterFirstSynth();
    const outdir = join(cwd, "cdktf.out");
    editConfig(cwd, "prod", "desiredCount: 3", "desiredCount: 5");
    const killed = startCli(["synth"], { cwd, env: { MESHFORM_TEST_HOLD: "commit" } });
    await killed.waitFor("holding at commit");
    killed.child.kill("SIGKILL");
    await killed.exit;
    expect(stray(outdir)).toEqual([".meshform-commit", ".meshform.lock"]); // what SIGKILL leaves: a sealed output, a dead lock
    // The next run synthesizes dev only; prod must still become the killed run's new prod.
    expect((await synth(cwd, "--env", "dev")).code).toBe(0);
    expect(readFileSync(join(outdir, "stacks/prod/cdk.tf.json"), "utf8")).toContain('"desired_count": 5');
    expect(stray(outdir)).toEqual([]);
  });
});

describe.concurrent("synth says what is wrong with the machine in one line", { timeout: PROCESS_TIMEOUT }, () => {
  it("names a missing parent directory of CDKTF_OUTDIR", async () => {
    const cwd = workdir();
    const r = await runCli(["synth"], { cwd, env: { CDKTF_OUTDIR: join(cwd, "no/such/cdktf.out") } });
    expect(r).toMatchObject({ code: 1, stdout: "" });
    expect(r.stderr).toBe(`meshform: cannot write ${cwd}/no/such/cdktf.out: its parent directory ${cwd}/no/such does not exist\n`);
  });

  it("says when cdktf.out is a file", async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, "cdktf.out"), "");
    expect((await synth(cwd)).stderr).toBe("meshform: cannot write cdktf.out: exists and is not a directory\n");
  });

  it("says permission denied for a directory it cannot write, and changes nothing", async () => {
    const cwd = afterFirstSynth();
    const outdir = join(cwd, "cdktf.out");
    const before = snapshot(outdir);
    chmodSync(outdir, 0o555);
    const r = await runCli(["synth"], { cwd, ...(isRoot && { user: NOBODY }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("meshform: cannot write cdktf.out/.meshform.lock: permission denied (EACCES)\n");
    chmodSync(outdir, 0o755);
    expect(snapshot(outdir)).toEqual(before);
  });

  it.runIf(isRoot)("fails before touching anything when one stack directory is not writable", async () => {
    const cwd = afterFirstSynth();
    const outdir = join(cwd, "cdktf.out");
    execFileSync("chown", ["-R", `${NOBODY.uid}:${NOBODY.gid}`, outdir]);
    chownSync(join(outdir, "stacks/staging"), 0, 0);
    chmodSync(join(outdir, "stacks/staging"), 0o555);
    const before = snapshot(outdir);
    editConfig(cwd, "dev", "logRetentionDays: 7", "logRetentionDays: 14");
    editConfig(cwd, "staging", "logRetentionDays: 30", "logRetentionDays: 60");
    const r = await runCli(["synth"], { cwd, user: NOBODY });
    expect(r.stderr).toBe("meshform: cannot write cdktf.out/stacks/staging: permission denied (EACCES)\n");
    expect(r.code).toBe(1);
    expect(snapshot(outdir)).toEqual(before);
    expect(stray(outdir)).toEqual([]);
  });

  it.runIf(isRoot)("works with a writable cdktf.out inside a read-only parent", async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, "cdktf.out"));
    chownSync(join(cwd, "cdktf.out"), NOBODY.uid, NOBODY.gid);
    chmodSync(cwd, 0o555);
    const r = await runCli(["synth"], { cwd, user: NOBODY });
    chmodSync(cwd, 0o755);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(readdirSync(join(cwd, "cdktf.out/stacks")).sort()).toEqual(["dev", "prod", "qa", "staging"]);
  });
});

/** Mounting needs privileges a CI container may not have: these run where a tmpfs can be mounted. */
function canMount(): boolean {
  if (!isRoot) return false;
  const probe = workdir();
  if (spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe]).status !== 0) return false;
  return spawnSync("umount", [probe]).status === 0;
}

describe.runIf(canMount())("cdktf.out on its own file system", { timeout: PROCESS_TIMEOUT }, () => {
  const mount = (dir: string, options: string) => execFileSync("mount", ["-t", "tmpfs", "-o", `size=16m,${options}`, "tmpfs", dir]);

  it("works when cdktf.out is a mount point (it is never renamed or removed)", async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, "cdktf.out"));
    mount(join(cwd, "cdktf.out"), "rw");
    try {
      expect((await synth(cwd)).code).toBe(0);
      expect((await synth(cwd)).code).toBe(0);
      expect(readdirSync(join(cwd, "cdktf.out/stacks")).sort()).toEqual(["dev", "prod", "qa", "staging"]);
    } finally {
      execFileSync("umount", [join(cwd, "cdktf.out")]);
    }
  });

  it("says read-only file system", async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, "cdktf.out"));
    mount(join(cwd, "cdktf.out"), "ro");
    try {
      const r = await synth(cwd);
      expect(r).toMatchObject({ code: 1, stderr: "meshform: cannot write cdktf.out/.meshform.lock: read-only file system (EROFS)\n" });
    } finally {
      execFileSync("umount", [join(cwd, "cdktf.out")]);
      rmSync(join(cwd, "cdktf.out"), { recursive: true });
    }
  });
});

// In this process, as slow as a process when it is the first here to load cdktf.
describe("manifest.json", { timeout: processTimeout(1) }, () => {
  it("is written as cdktf's Manifest writes it, without loading cdktf", () => {
    const dir = mkdtempSync(join(tmpdir(), "meshform-manifest-"));
    const cdktf = new Manifest("0.21.0", dir, false);
    const app = new App({ outdir: dir });
    for (const env of loadEnvironments(ENVS).environments) cdktf.forStack(new EnvironmentStack(app, env));
    cdktf.writeToFile();
    expect(manifestJson({ version: "0.21.0", stacks: cdktf.stacks })).toBe(readFileSync(join(dir, "manifest.json"), "utf8"));
  });
});
