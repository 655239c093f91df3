/**
 * `npm run bench`: synthesizes every environment in config/ in fresh processes, as `npm run synth` does
 * after its build step, and reports wall time (from process start) and peak memory.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const dir = mkdtempSync(join(tmpdir(), "meshform-bench-"));
const samples: { ms: number; maxRssMiB: number }[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const child = spawnSync(process.execPath, [join(__dirname, "synth-once.js"), join(dir, "cdktf.out")], { encoding: "utf8" });
    const result = JSON.parse(child.stdout);
    if (child.status !== 0 || result.code !== 0) throw new Error(`synth failed: ${child.stderr}`);
    samples.push(result);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const times = samples.map((s) => s.ms).sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const peak = Math.max(...samples.map((s) => s.maxRssMiB));
console.log(`synth of config/ (${RUNS} runs): median ${median.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms; peak RSS ${peak.toFixed(0)} MiB`);
