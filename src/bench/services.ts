/**
 * `npm run bench:services`: autocannon on loopback against the service bundles running as their own
 * processes, a fixed number of requests each: (a) data-processing directly, (b) through data-ingestion.
 * Target: (b) keeps >= 70% of (a)'s throughput and adds <= 1 ms at p50. Then the nothing-lost run
 * (nothing-lost.ts): readings under injected faults and a crash, every one accounted for.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { loadEnvironments } from "../environments";
import { PROVIDERS } from "../providers";
import { buildServices } from "../services/build";
import { callerPolicy } from "../services/local/settings";
import { SAMPLE_READING } from "../services/shared/ev";
import { runNothingLost } from "./nothing-lost";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 30_000);
/** Rounds of (a), (b), (c) interleaved; each figure is the median over rounds, as single runs vary. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const BODY = JSON.stringify(SAMPLE_READING);
/** The nothing-lost run: readings, and after how many data-processing is killed and restarted. */
const LOST_READINGS = Number(process.env.BENCH_LOST_READINGS ?? 2_000);

/** Starts a script with its logs discarded (so this process spends no CPU on them); waits for its port. */
async function startScript(script: string, port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env, APP_PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${script} did not answer on port ${port}`);
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function medianOf(runs: Figures[]): Figures {
  const mid = (pick: (f: Figures) => number) =>
    percentile(
      runs.map(pick).sort((x, y) => x - y),
      50,
    );
  return { rps: mid((f) => f.rps), p50: mid((f) => f.p50), p99: mid((f) => f.p99), errors: runs.reduce((n, f) => n + f.errors, 0) };
}

function load(url: string, amount: number): Promise<Figures> {
  return new Promise((resolve, reject) => {
    let first = 0;
    let last = 0;
    const latencies: number[] = [];
    const options = {
      url,
      method: "POST" as const,
      headers: { "content-type": "application/json" },
      body: BODY,
      connections: CONNECTIONS,
      amount,
    };
    const instance = autocannon(options, (err, result) => {
      if (err) return reject(err);
      latencies.sort((a, b) => a - b);
      resolve({
        rps: latencies.length / ((last - first) / 1000),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        errors: result.errors + result.timeouts + result.non2xx,
      });
    });
    // autocannon's summary has whole-millisecond latencies and a start/finish quantized to its 1 s ticks:
    // time the run and every response here.
    instance.on("start", () => {
      first = performance.now();
    });
    instance.on("response", (_client, _status, _bytes, responseTime) => {
      last = performance.now();
      latencies.push(responseTime);
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "meshform-bench-services-"));
  const children: ChildProcess[] = [];
  try {
    await buildServices(dir);
    const processing = "http://127.0.0.1:3101";
    children.push(await startScript(join(dir, "data-processing/main.js"), 3101, {}));
    children.push(await startScript(join(dir, "data-ingestion/main.js"), 3100, { DATA_PROCESSING_URL: processing }));
    children.push(await startScript(join(__dirname, "bare-forwarder.js"), 3102, { DATA_PROCESSING_URL: processing }));
    const direct = `${processing}/ev`;
    const through = "http://127.0.0.1:3100/ev";
    const bare = "http://127.0.0.1:3102/ev";
    for (const url of [direct, through, bare]) await load(url, 2000); // warm-up: JIT, sockets
    const rounds: Figures[][] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push([await load(direct, REQUESTS), await load(through, REQUESTS), await load(bare, REQUESTS)]);
    const [a, b, c] = [0, 1, 2].map((i) => medianOf(rounds.map((round) => round[i]!))) as [Figures, Figures, Figures];
    const row = (name: string, f: Figures) =>
      `${name.padEnd(32)} ${f.rps.toFixed(0).padStart(8)} req/s   p50 ${f.p50.toFixed(2)} ms   p99 ${f.p99.toFixed(2)} ms   errors ${f.errors}`;
    console.log(`${REQUESTS} requests x ${ROUNDS} rounds (medians), ${CONNECTIONS} connections, loopback`);
    console.log(row("(a) data-processing directly", a));
    console.log(row("(b) through data-ingestion", b));
    console.log(row("(c) through a bare forwarder", c));
    console.log(
      `(b)/(a) throughput ${(b.rps / a.rps).toFixed(2)} (target >= 0.70); p50 added ${(b.p50 - a.p50).toFixed(2)} ms (target <= 1)`,
    );
    console.log(`(c)/(a) throughput ${(c.rps / a.rps).toFixed(2)}: the ceiling for any Node forwarder sharing this machine's cores`);
    if (a.errors + b.errors + c.errors > 0) process.exitCode = 1;

    // Nothing lost, with the policy meshform gives data-ingestion from config/dev.yaml under each provider where the
    // caller retries: directly (Service Connect), and signed through the VPC Lattice stand-in.
    const dev = loadEnvironments("config", "dev").environments[0]!;
    const killAfter = Math.floor(LOST_READINGS * 0.4);
    const f = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
    for (const provider of Object.values(PROVIDERS).filter((p) => p.retries.by === "caller")) {
      const policy = callerPolicy(dev, "data-ingestion", "data-processing", provider.id);
      const lost = await runNothingLost({
        bundles: dir,
        workdir: mkdtempSync(join(tmpdir(), "meshform-lost-")),
        readings: LOST_READINGS,
        concurrency: CONNECTIONS,
        faultRate: 0.3,
        killAfter,
        downMs: 1_500,
        policy,
        lattice: provider.supports("signedCalls"),
      });
      console.log(
        `\nnothing lost: ${lost.sent} readings, ${CONNECTIONS} at a time, 30% injected 503s, data-processing killed (SIGKILL) after ${killAfter} and restarted 1.5 s later;` +
          ` dev's retry policy under ${provider.displayName} (${policy.maxRetries} retries, ${policy.perTryTimeoutMs} ms per try, ${policy.deadlineMs} ms deadline)`,
      );
      console.log(
        `  processed ${lost.processed}, dead-lettered ${lost.deadLettered} (${lost.both} of them processed before their answer was lost), other answers ${lost.other.length}, unaccounted ${lost.unaccounted.length}` +
          (lost.lattice
            ? `; through the VPC Lattice stand-in: ${lost.lattice.forwarded} signed tries let in, ${lost.lattice.refused} refused`
            : ""),
      );
      console.log(
        `  after redrive: ${lost.afterRedrive.redriven} redriven, ${lost.afterRedrive.remaining} remain, processed ${lost.afterRedrive.processedDistinct} of ${lost.sent} sent`,
      );
      console.log(`  latency through data-ingestion: p50 ${f(lost.latencies.p50)} ms, p99 ${f(lost.latencies.p99)} ms`);
      const refused = lost.lattice?.refused ?? 0;
      if (lost.other.length > 0 || lost.unaccounted.length > 0 || refused > 0 || lost.afterRedrive.processedDistinct !== lost.sent)
        process.exitCode = 1;
    }
  } finally {
    for (const c of children) c.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(`bench:services: ${err.message}`);
  process.exit(1);
});
