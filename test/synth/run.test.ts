/**
 * Synth at scale: parallel, sequential and incremental runs write the same bytes; a stack is made again
 * exactly when something that shapes it changed; workers never outlive a run.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeScaleConfigs } from "../../src/bench/scale-configs";
import { run } from "../../src/cli";
import { RECORD_FILE } from "../../src/synth/build-record";
import { synthConfigDir } from "../../src/synth/run";
import { endOfLife } from "../helpers";
import { copyOf, processTimeout, REPO, runCli, snapshot, startCli, workdir } from "../process";

const mtimes = (dir: string) => Object.fromEntries(Object.keys(snapshot(dir)).map((f) => [f, statSync(join(dir, f)).mtimeMs]));

/** The CLI in this process, as a terminal would see it (progress on), against a copy of the fixture environments. */
async function synthHere(cwd: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await run(["synth", ...args], { out: (l) => out.push(l), err: (l) => err.push(l), outdir: "cdktf.out", progress: true });
    return {
      code,
      out,
      err: err.filter((l) => !l.includes("App Mesh reached end of life")),
      warnings: err.filter((l) => l.includes("App Mesh reached end of life")),
    };
  } finally {
    process.chdir(previous);
  }
}

function editFile(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`test setup: ${from} not in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

/** The first synth of a working directory, made once (in this process) for the tests that start from there. */
let firstSynth: Promise<{ cwd: string; first: Awaited<ReturnType<typeof synthHere>> }> | undefined;
/** A copy of the working directory after the first synth, and what that synth said. */
async function afterFirstSynth() {
  firstSynth ??= (async () => {
    const cwd = workdir();
    return { cwd, first: await synthHere(cwd) };
  })();
  const { cwd, first } = await firstSynth;
  return { cwd: copyOf(cwd), first };
}

// In this process, but as slow as a process the first time: loading cdktf, then synthesizing the shipped configs.
describe("synth reuses what did not change", { timeout: processTimeout(3) }, () => {
  it("makes every stack the first time, and none the second, saying so and repeating each file's warnings", async () => {
    const { cwd, first } = await afterFirstSynth();
    expect(first.code).toBe(0);
    expect(first.err.map((l) => l.replace(/[\d,]+ resources in \d+\.\d+ s/, "N resources in T s")).sort()).toEqual([
      "meshform: dev: N resources in T s",
      "meshform: prod: N resources in T s",
      "meshform: qa: N resources in T s",
      "meshform: staging: N resources in T s",
    ]);
    expect(first.out).toEqual([
      expect.stringMatching(/^meshform: synthesized dev, prod, qa, staging into cdktf\.out\/stacks\/ in \d+\.\d+ s$/),
    ]);
    const before = mtimes(join(cwd, "cdktf.out"));
    const second = await synthHere(cwd);
    expect(second).toMatchObject({
      code: 0,
      err: ["meshform: dev: unchanged", "meshform: prod: unchanged", "meshform: qa: unchanged", "meshform: staging: unchanged"],
    });
    expect(second.warnings).toEqual([endOfLife("config/dev.yaml")]);
    expect(second.out).toEqual([
      expect.stringMatching(/^meshform: cdktf\.out\/stacks\/ is up to date \(dev, prod, qa, staging\) in \d+\.\d+ s$/),
    ]);
    expect(mtimes(join(cwd, "cdktf.out"))).toEqual(before); // not a file rewritten
  });

  it("makes again only the stack whose environment changed; an edit that changes nothing only renews its record", async () => {
    const { cwd } = await afterFirstSynth();
    const outdir = join(cwd, "cdktf.out");
    const before = snapshot(outdir);
    editFile(join(cwd, "config/prod.yaml"), "logRetentionDays: 365", "logRetentionDays: 400");
    editFile(join(cwd, "config/staging.yaml"), "logRetentionDays: 30", "logRetentionDays: 30 # a month");
    const r = await synthHere(cwd);
    expect(r.out).toEqual([
      expect.stringMatching(/^meshform: synthesized prod into cdktf\.out\/stacks\/ in \d+\.\d+ s; unchanged: dev, qa, staging$/),
    ]);
    const after = snapshot(outdir);
    expect(after["stacks/prod/cdk.tf.json"]).toContain('"retention_in_days": 400');
    expect(after["stacks/dev/cdk.tf.json"]).toBe(before["stacks/dev/cdk.tf.json"]);
    expect(after[`stacks/dev/${RECORD_FILE}`]).toBe(before[`stacks/dev/${RECORD_FILE}`]);
    expect(after["stacks/staging/cdk.tf.json"]).toBe(before["stacks/staging/cdk.tf.json"]);
    const [old, renewed] = [before, after].map((s) => JSON.parse(s[`stacks/staging/${RECORD_FILE}`]!));
    expect(renewed.source).not.toBe(old.source);
    expect(renewed.environment).toBe(old.environment);
    expect(after["manifest.json"]).toBe(before["manifest.json"]);
  });

  it("makes a stack again when its cdk.tf.json was edited or its record lost, and every stack with --force", async () => {
    const { cwd } = await afterFirstSynth();
    const outdir = join(cwd, "cdktf.out");
    const before = snapshot(outdir);
    writeFileSync(
      join(outdir, "stacks/dev/cdk.tf.json"),
      before["stacks/dev/cdk.tf.json"]!.replace('"retention_in_days": 7', '"retention_in_days": 8'),
    );
    unlinkSync(join(outdir, "stacks/prod", RECORD_FILE));
    const r = await synthHere(cwd);
    expect(r.out).toEqual([expect.stringMatching(/^meshform: synthesized dev, prod into .* in \d+\.\d+ s; unchanged: qa, staging$/)]);
    expect(snapshot(outdir)).toEqual(before);
    const forced = await synthHere(cwd, "--force");
    expect(forced.out).toEqual([expect.stringMatching(/^meshform: synthesized dev, prod, qa, staging into /)]);
    expect(snapshot(outdir)).toEqual(before);
  });

  it("writes nothing when a file has errors, though the others are unchanged", async () => {
    const { cwd } = await afterFirstSynth();
    const outdir = join(cwd, "cdktf.out");
    const before = snapshot(outdir);
    editFile(join(cwd, "config/prod.yaml"), "logRetentionDays: 365", "logRetentionDays: 366");
    const r = await synthHere(cwd);
    expect(r.code).toBe(1);
    expect(r.err.at(-1)).toBe("meshform: 1 error; nothing was written");
    expect(snapshot(outdir)).toEqual(before);
  });

  it("is quiet with --quiet, problems aside", async () => {
    const cwd = workdir();
    const r = await synthHere(cwd, "--quiet");
    expect(r).toMatchObject({ code: 0, out: [], err: [] });
  });
});

// A test here runs up to five synths, each with two workers, or synthesizes through two workers in this process.
describe("synth across worker processes", { timeout: processTimeout(5) }, () => {
  /** Configs big enough to be worth workers, small enough to be quick: 4 environments of 12 services. */
  function scaleWorkdir(): string {
    const cwd = mkdtempSync(join(tmpdir(), "meshform-scale-"));
    writeScaleConfigs(join(cwd, "config"), 3, 6);
    return cwd;
  }
  const synth = (cwd: string, outdir: string, ...args: string[]) =>
    runCli(["synth", "--quiet", ...args], { cwd, env: { CDKTF_OUTDIR: outdir } });

  /** One synth of the scale configs across two workers, telling its resource usage: two tests check it. */
  let inWorkers: Promise<{ code: number | null; outdir: string; usage: string }> | undefined;
  const synthesizedInWorkers = () =>
    (inWorkers ??= (async () => {
      const cwd = scaleWorkdir();
      const [outdir, usage] = [join(cwd, "parallel"), join(cwd, "usage.jsonl")];
      const r = await runCli(["synth", "--quiet", "--jobs", "2"], { cwd, env: { CDKTF_OUTDIR: outdir, MESHFORM_RUSAGE: usage } });
      return { code: r.code, outdir, usage };
    })());

  it("writes byte for byte what one process writes, and what a run reusing stacks writes", async () => {
    const cwd = scaleWorkdir();
    const [sequential, incremental] = ["sequential", "incremental"].map((n) => join(cwd, n));
    const { code, outdir: parallel } = await synthesizedInWorkers();
    expect(code).toBe(0);
    expect((await synth(cwd, sequential, "--jobs", "1")).code).toBe(0);
    // incremental: first from an edited env1, then back: only env1 is made again, over stacks made in workers.
    const env1 = join(cwd, "config/env1.yaml");
    const text = readFileSync(env1, "utf8");
    writeFileSync(env1, text.replace("memory: 1024", "memory: 2048"));
    expect((await synth(cwd, incremental, "--jobs", "2")).code).toBe(0);
    writeFileSync(env1, text);
    const last = await synth(cwd, incremental, "--jobs", "2");
    expect(last.code).toBe(0);
    expect(snapshot(parallel)).toEqual(snapshot(sequential));
    expect(snapshot(incremental)).toEqual(snapshot(sequential));
    expect(Object.keys(snapshot(sequential)).filter((f) => f.endsWith("cdk.tf.json"))).toHaveLength(3);
  });

  it("reports every process's CPU time and peak memory when MESHFORM_RUSAGE names a file", async () => {
    const { code, usage } = await synthesizedInWorkers();
    expect(code).toBe(0);
    const lines = readFileSync(usage, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.role).sort()).toEqual(["main", "worker", "worker"]);
    for (const l of lines) expect(l).toMatchObject({ cpuMs: expect.any(Number), maxRssMiB: expect.any(Number) });
  });

  it("stops its workers and writes nothing when a file has errors", async () => {
    const cwd = scaleWorkdir();
    editFile(join(cwd, "config/env2.yaml"), "cpu: 512", "cpu: 500");
    const r = await synth(cwd, join(cwd, "cdktf.out"), "--jobs", "2");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("config/env2.yaml:");
    expect(r.stderr.trim().split("\n").at(-1)).toBe("meshform: 1 error; nothing was written");
    expect(readdirSync(cwd)).toEqual(["config"]); // not even the output directory its lock needed
  });

  it("has every worker gone, not only killed, before it removes staging and returns with errors", async () => {
    // A worker still synthesizing writes into staging while the run removes it: removal fails (ENOTEMPTY, an
    // internal error, exit 2) or staging comes back. Checked here, where the workers are this process's children:
    // a worker killed but not yet reaped is still a child.
    const cwd = scaleWorkdir();
    editFile(join(cwd, "config/env2.yaml"), "cpu: 512", "cpu: 500");
    let workers: number[] = [];
    const r = await synthConfigDir({
      configDir: join(cwd, "config"),
      outdir: join(cwd, "cdktf.out"),
      jobs: 2,
      onChecked: () => {
        workers = children(process.pid).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("synth/worker"));
      },
    });
    expect(r.ok).toBe(false);
    expect(workers).toHaveLength(2);
    expect(children(process.pid).filter((pid) => workers.includes(pid))).toEqual([]);
    expect(readdirSync(cwd)).toEqual(["config"]);
  });

  it("on Ctrl-C while workers synthesize, exits 130 with nothing written and no worker left", async () => {
    const cwd = scaleWorkdir();
    const outdir = join(cwd, "cdktf.out");
    const p = startCli(["synth", "--jobs", "2"], { cwd, env: { CDKTF_OUTDIR: outdir, MESHFORM_TEST_HOLD: "synthesize" } });
    await p.waitFor("holding at synthesize");
    const workers = children(p.child.pid!);
    expect(workers).toHaveLength(2);
    p.child.kill("SIGINT");
    expect((await p.exit).code).toBe(130);
    expect(p.stderr()).toContain("meshform: interrupted; ");
    expect(readdirSync(cwd)).toEqual(["config"]);
    for (const pid of workers) expect(alive(pid)).toBe(false);
  });
});

/** Child processes of `pid`, from /proc (field 4 of /proc/<pid>/stat is the parent's pid). */
function children(pid: number): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        return (
          readFileSync(`/proc/${n}/stat`, "utf8")
            .replace(/^.*\) /, "")
            .split(" ")[1] === String(pid)
        );
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the launcher (bin/meshform.js)", { timeout: processTimeout(3) }, () => {
  /** A project of its own: the launcher beside a two-file src/, using this repository's node_modules. */
  function project(): string {
    const root = mkdtempSync(join(tmpdir(), "meshform-launcher-"));
    mkdirSync(join(root, "bin"));
    cpSync(join(REPO, "bin/meshform.js"), join(root, "bin/meshform.js"));
    symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"));
    mkdirSync(join(root, "src/synth"), { recursive: true });
    mkdirSync(join(root, "stacks"));
    cli(root, "one");
    writeFileSync(join(root, "src/synth/worker.ts"), "export function serve(): void {}\n");
    return root;
  }
  const cli = (root: string, version: string) =>
    writeFileSync(
      join(root, "src/cli.ts"),
      `export function main(argv: string[]): void {\n  console.log(["cli", "${version}", ...argv].join(" "));\n}\n`,
    );
  const launch = (root: string, ...args: string[]) =>
    execFileSync(process.execPath, [join(root, "bin/meshform.js"), ...args], { encoding: "utf8" });
  const bundles = (root: string) => readdirSync(join(root, "dist/bundle")).filter((n) => !n.startsWith("."));

  it("bundles when a source changed, runs the same bundle otherwise, and keeps the last two", () => {
    const root = project();
    expect(launch(root, "synth", "--force")).toBe("cli one synth --force\n");
    const [first] = bundles(root);
    const built = statSync(join(root, "dist/bundle", first!, "cli.js")).mtimeMs;
    expect(launch(root, "validate")).toBe("cli one validate\n");
    expect(bundles(root)).toEqual([first]);
    expect(statSync(join(root, "dist/bundle", first!, "cli.js")).mtimeMs).toBe(built);
    expect(readdirSync(join(root, "dist/bundle", first!)).sort()).toEqual(["README", "cli.cache", "cli.js", "worker.js"]);
    cli(root, "two");
    expect(launch(root, "synth")).toBe("cli two synth\n");
    expect(bundles(root)).toHaveLength(2);
    cli(root, "three");
    expect(launch(root, "synth")).toBe("cli three synth\n");
    expect(bundles(root)).toHaveLength(2);
    expect(bundles(root)).not.toContain(first);
  });
});
