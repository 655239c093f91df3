/**
 * Nothing lost, measured: N readings through data-ingestion (the service bundles, as their images run them)
 * to data-processing with 30% injected 503s, data-processing killed outright and restarted once mid-run.
 * Every reading must come back processed (200) or dead-lettered (202); data-processing's durable log of
 * processed request ids and the dead-letter file then account for every one, and a redrive of the
 * dead-letter queue makes processed equal sent. Used by the test suite and by `npm run bench:services`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { signingVariables } from "../config/app-environment";
import { Upstream } from "../services/data-ingestion/upstream";
import { createLatticeStandIn } from "../services/local/lattice-stand-in";
import { redrive } from "../services/redrive/redrive";
import type { CallPolicy } from "../services/shared/call-policy";
import { FileDeadLetterQueue } from "../services/shared/dead-letters/file-queue";
import { SAMPLE_READING } from "../services/shared/ev";

export interface Scenario {
  /** Where buildServices wrote the bundles. */
  bundles: string;
  /** Scratch directory for the dead-letter file and the processed-ids log. */
  workdir: string;
  readings: number;
  concurrency: number;
  faultRate: number;
  /** data-processing is killed after this many readings were sent, and restarted after downMs. */
  killAfter: number;
  downMs: number;
  /** data-ingestion's policy for data-processing, as meshform would set it where the caller retries. */
  policy: CallPolicy;
  /**
   * Through a stand-in for VPC Lattice: data-ingestion signs every try (SigV4, local credentials), the stand-in lets in
   * only signed requests and forwards them by one route; a version that does not answer is a 502, which the caller
   * retries. Without it, data-ingestion calls data-processing directly, as under Service Connect.
   */
  lattice?: boolean;
}

export interface Outcome {
  sent: number;
  /** Answered 200: processed. */
  processed: number;
  /** Answered 202: dead-lettered. */
  deadLettered: number;
  /** Any other answer: a reading at risk (must be 0). */
  other: { status: number; body: string }[];
  latencies: { p50: number; p99: number };
  /** Sent request ids found neither in data-processing's log nor in the dead-letter queue (must be empty). */
  unaccounted: string[];
  /** Readings both processed and dead-lettered (processed, but its answer lost in the crash): harmless, as redrive is idempotent. */
  both: number;
  afterRedrive: { redriven: number; remaining: number; processedDistinct: number };
  /** Through the VPC Lattice stand-in: the tries it forwarded, and those it refused for their signature (must be 0). */
  lattice?: { forwarded: number; refused: number };
}

const LATTICE_AUTH = {
  service: "vpc-lattice-svcs",
  region: "eu-west-1",
  credentials: { accessKeyId: "AKIAMESHFORMBENCH", secretAccessKey: "meshform-bench-not-a-secret" },
};

/** One route to every request, to the one version: what the stand-in routes the run by. */
const EVERY_REQUEST = {
  routes: [{ priority: 1, match: { prefix: "/", headers: [], queryParameters: [] }, targets: [{ weight: 100 }], timeoutMs: 0 }],
};

/** The stand-in for VPC Lattice in front of `port`, on a free port of its own. */
async function latticeStandIn(port: number) {
  const server = createLatticeStandIn({
    service: EVERY_REQUEST,
    upstreams: new Map([[undefined, new URL(`http://127.0.0.1:${port}`)]]),
    auth: LATTICE_AUTH,
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

/** What data-ingestion's process is told to sign with (its SDK's default chain reads the key from the environment). */
const signingEnv = (): Record<string, string> => {
  const v = signingVariables("data-processing");
  return {
    [v.service]: LATTICE_AUTH.service,
    [v.region]: LATTICE_AUTH.region,
    AWS_ACCESS_KEY_ID: LATTICE_AUTH.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LATTICE_AUTH.credentials.secretAccessKey,
  };
};

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/** Starts a bundle; resolves once it logs that it listens. Its logs are discarded. */
function startBundle(bundles: string, service: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(bundles, service, "main.js")], {
    env: { PATH: process.env.PATH!, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      if (out.length < 4096) out += d;
      if (out.includes('"event":"listening"')) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`${service} exited with ${code}`)));
  });
}

/** Resolves once `child` has ended; a process killed by a signal has a signalCode, not an exitCode. */
const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once("exit", () => r()));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function runNothingLost(s: Scenario): Promise<Outcome> {
  const processedLog = join(s.workdir, "processed.log");
  const deadLetterFile = join(s.workdir, "dead-letters.jsonl");
  const [processingPort, ingestionPort] = [await freePort(), await freePort()];
  const processingEnv = { APP_PORT: String(processingPort), FAULT_503_RATE: String(s.faultRate), PROCESSED_LOG: processedLog };
  const p = s.policy;
  const children: ChildProcess[] = [];
  let processing = await startBundle(s.bundles, "data-processing", processingEnv);
  children.push(processing);
  const lattice = s.lattice ? await latticeStandIn(processingPort) : undefined;
  children.push(
    await startBundle(s.bundles, "data-ingestion", {
      APP_PORT: String(ingestionPort),
      DATA_PROCESSING_URL: lattice?.url ?? `http://127.0.0.1:${processingPort}`,
      ...(lattice && signingEnv()),
      DATA_PROCESSING_TIMEOUT_MS: String(p.deadlineMs),
      DATA_PROCESSING_MAX_RETRIES: String(p.maxRetries),
      DATA_PROCESSING_PER_TRY_TIMEOUT_MS: String(p.perTryTimeoutMs),
      DATA_PROCESSING_RETRY_ON: [...p.retryOn].join(","),
      DATA_PROCESSING_BACKOFF_BASE_MS: String(p.backoff.baseMs),
      DATA_PROCESSING_BACKOFF_CAP_MS: String(p.backoff.capMs),
      DEAD_LETTER_FILE: deadLetterFile,
    }),
  );
  const latencies: number[] = [];
  const other: Outcome["other"] = [];
  let processed = 0;
  let deadLettered = 0;
  let sent = 0;
  let restart: Promise<void> | undefined;
  const ids = Array.from({ length: s.readings }, (_, i) => `reading-${i}`);
  try {
    const send = async (id: string) => {
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${ingestionPort}/ev`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": id },
        body: JSON.stringify(SAMPLE_READING),
      });
      const body = await res.text();
      latencies.push(performance.now() - started);
      if (res.status === 200) processed++;
      else if (res.status === 202) deadLettered++;
      else other.push({ status: res.status, body });
    };
    const next = { i: 0 };
    const worker = async () => {
      while (next.i < ids.length) {
        const id = ids[next.i++]!;
        sent++;
        if (sent === s.killAfter) {
          processing.kill("SIGKILL");
          restart = (async () => {
            await exited(processing);
            await new Promise((r) => setTimeout(r, s.downMs));
            processing = await startBundle(s.bundles, "data-processing", processingEnv);
            children.push(processing);
          })();
        }
        await send(id);
      }
    };
    await Promise.all(Array.from({ length: s.concurrency }, worker));
    await restart;
    const logged = new Set(readFileSync(processedLog, "utf8").split("\n").filter(Boolean));
    const queue = new FileDeadLetterQueue(deadLetterFile);
    const dead = new Set((await queue.receive(Number.MAX_SAFE_INTEGER)).map((r) => r.letter.requestId));
    await queue.close();
    const unaccounted = ids.filter((id) => !logged.has(id) && !dead.has(id));
    const both = ids.filter((id) => logged.has(id) && dead.has(id)).length;
    const redriveQueue = new FileDeadLetterQueue(deadLetterFile);
    const upstream = new Upstream(new URL(`http://127.0.0.1:${processingPort}/ev`));
    const result = await redrive(redriveQueue, { upstream, policy: p });
    await upstream.close();
    await redriveQueue.close();
    const stats = (await (await fetch(`http://127.0.0.1:${processingPort}/stats`)).json()) as { processed: number };
    latencies.sort((a, b) => a - b);
    return {
      sent,
      processed,
      deadLettered,
      other,
      latencies: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
      unaccounted,
      both,
      afterRedrive: { redriven: result.redriven, remaining: result.remaining, processedDistinct: stats.processed },
      ...(lattice && {
        lattice: {
          forwarded: [...lattice.server.counts.forwarded.values()].reduce((a, b) => a + b, 0),
          refused: lattice.server.counts.refused,
        },
      }),
    };
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map(exited));
    if (lattice) {
      lattice.server.closeAllConnections();
      await new Promise((r) => lattice.server.close(r));
    }
  }
}
