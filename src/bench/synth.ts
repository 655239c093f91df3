/**
 * `npm run bench`: how fast synth is, from the shipped configs to organisation scale, measured the way a
 * user runs it (fresh processes through the launcher, bin/meshform.js) and printed as a Markdown table.
 *
 *   - floor: `node -e 'require("cdktf")'`, measured in the same run, so that ratios hold on any machine;
 *   - every case runs BENCH_RUNS times (default 5; 3 for the 10 × 200 cases) and reports the median wall
 *     time, with the CPU time (user + system) and the peak RSS of the largest process of that run, which
 *     every meshform process reports as it ends (MESHFORM_RUSAGE, see src/synth/usage-report.ts);
 *   - "full" runs pass --force (nothing reused); "unchanged" and "1 changed" are what an edit-synth loop sees.
 * Nothing in the repository is written: configs and outputs live in a scratch directory.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { UsageLine } from "../synth/usage-report";
import { writeScaleConfigs } from "./scale-configs";

const ROOT = resolve(__dirname, "..", "..", "..");
const LAUNCHER = join(ROOT, "bin", "meshform.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const scratch = mkdtempSync(join(tmpdir(), "meshform-bench-"));

interface Sample {
  ms: number;
  cpuMs: number;
  maxRssMiB: number;
}

/** One run of `command` in a fresh process: wall time from spawn to exit, CPU and peak RSS as meshform reports them. */
function measure(command: string, args: string[], env: Record<string, string> = {}): Sample {
  const usage = join(scratch, "usage.jsonl");
  rmSync(usage, { force: true });
  const started = performance.now();
  const child = spawnSync(command, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", MESHFORM_RUSAGE: usage, ...env },
  });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${child.status}):\n${child.stderr}`);
  let lines: UsageLine[] = [];
  try {
    lines = readFileSync(usage, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as UsageLine);
  } catch {
    // the floor is not a meshform process: wall time only
  }
  return { ms, cpuMs: lines.reduce((n, l) => n + l.cpuMs, 0), maxRssMiB: Math.max(0, ...lines.map((l) => l.maxRssMiB)) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function repeat(runs: number, before: (i: number) => void, run: () => Sample): Sample {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    before(i);
    samples.push(run());
  }
  const mid = [...samples].sort((a, b) => a.ms - b.ms)[Math.floor(samples.length / 2)]!;
  return { ms: mid.ms, cpuMs: median(samples.map((s) => s.cpuMs)), maxRssMiB: Math.max(...samples.map((s) => s.maxRssMiB)) };
}

/** Resources in every stack of an output directory. */
function resources(outdir: string, envs: string[]): number {
  return envs.reduce((n, env) => {
    const stack = JSON.parse(readFileSync(join(outdir, "stacks", env, "cdk.tf.json"), "utf8")) as { resource?: Record<string, object> };
    return n + Object.values(stack.resource ?? {}).reduce((m, byName) => m + Object.keys(byName).length, 0);
  }, 0);
}

const synth =
  (configDir: string, outdir: string, ...flags: string[]) =>
  () =>
    measure(process.execPath, [LAUNCHER, "synth", "--config-dir", configDir, "--quiet", ...flags], { CDKTF_OUTDIR: outdir });

interface Row {
  name: string;
  resources: number;
  sample: Sample;
  target: string;
  met: boolean;
}

function main(): void {
  const rows: Row[] = [];
  // Build the bundle once, outside any measurement (the launcher only checks its stamp afterwards).
  measure(process.execPath, [LAUNCHER, "validate"]);
  const floor = repeat(
    RUNS,
    () => {},
    () => measure(process.execPath, ["-e", 'require("cdktf")']),
  );

  const shippedOut = join(scratch, "shipped.out");
  const shippedEnvs = readdirSync("config")
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
  const shipped = repeat(
    RUNS,
    () => {},
    () => measure("npm", ["run", "synth", "--", "--force", "--quiet"], { CDKTF_OUTDIR: shippedOut }),
  );
  const shippedResources = resources(shippedOut, shippedEnvs);
  rows.push({
    name: `${shippedEnvs.length} shipped configs, \`npm run synth -- --force\``,
    resources: shippedResources,
    sample: shipped,
    target: "≤ 3 × floor",
    met: shipped.ms <= 3 * floor.ms,
  });
  const unchanged = repeat(
    RUNS,
    () => {},
    () => measure("npm", ["run", "synth", "--", "--quiet"], { CDKTF_OUTDIR: shippedOut }),
  );
  rows.push({
    name: `${shippedEnvs.length} shipped configs, \`npm run synth\`, nothing changed`,
    resources: shippedResources,
    sample: unchanged,
    target: "—",
    met: true,
  });

  const small = join(scratch, "3x50");
  const smallEnvs = writeScaleConfigs(small, 3, 50);
  const smallOut = join(scratch, "3x50.out");
  const smallRun = repeat(RUNS, () => {}, synth(small, smallOut, "--force"));
  rows.push({
    name: "3 env × 50 svc",
    resources: resources(smallOut, smallEnvs),
    sample: smallRun,
    target: "≤ 1 s",
    met: smallRun.ms <= 1000,
  });

  const big = join(scratch, "10x200");
  const bigEnvs = writeScaleConfigs(big, 10, 200);
  const bigOut = join(scratch, "10x200.out");
  const bigRuns = Number(process.env.BENCH_RUNS ?? 3);
  const bigRun = repeat(bigRuns, () => {}, synth(big, bigOut, "--force"));
  const bigResources = resources(bigOut, bigEnvs);
  rows.push({
    name: "10 env × 200 svc",
    resources: bigResources,
    sample: bigRun,
    target: "≤ 6 s, ≤ 400 MB per process",
    met: bigRun.ms <= 6000 && bigRun.maxRssMiB <= 400,
  });

  // One environment edited between runs: a service's memory flips, so each run has exactly one stack to make.
  const edited = join(big, `${bigEnvs[3]}.yaml`);
  const original = readFileSync(edited, "utf8");
  const flip = (i: number) => writeFileSync(edited, i % 2 === 0 ? original.replace("memory: 1024", "memory: 2048") : original);
  const oneRun = repeat(bigRuns, flip, synth(big, bigOut));
  rows.push({
    name: "re-synth after changing 1 env of the 10 × 200",
    resources: resources(bigOut, [bigEnvs[3]!]),
    sample: oneRun,
    target: "≤ 1.5 s",
    met: oneRun.ms <= 1500,
  });
  const noneRun = repeat(bigRuns, () => {}, synth(big, bigOut));
  rows.push({ name: "10 env × 200 svc, nothing changed", resources: bigResources, sample: noneRun, target: "—", met: true });

  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  console.log(
    `meshform synth benchmark: Node ${process.version}, ${cpus().length} × ${cpu}; median of ${RUNS} runs (${bigRuns} for 10 × 200)`,
  );
  console.log(`floor: node -e 'require("cdktf")' = ${seconds(floor.ms)}\n`);
  console.log("| case | resources | wall | CPU (user + sys) | peak RSS, largest process | resources/s | target | met |");
  console.log("|---|---:|---:|---:|---:|---:|---|---|");
  for (const r of rows) {
    const wall = r.target.includes("floor")
      ? `${seconds(r.sample.ms)} (${(r.sample.ms / floor.ms).toFixed(1)} × floor)`
      : seconds(r.sample.ms);
    const perSecond = r.target === "—" ? "—" : Math.round((r.resources / r.sample.ms) * 1000).toLocaleString("en-US");
    console.log(
      `| ${r.name} | ${r.resources.toLocaleString("en-US")} | ${wall} | ${seconds(r.sample.cpuMs)} | ${Math.round(r.sample.maxRssMiB)} MB | ${perSecond} | ${r.target} | ${r.met ? "yes" : "**no**"} |`,
    );
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

try {
  main();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
