/**
 * `npm run services [-- --provider appmesh|service-connect]`: the reference system on this machine, with
 * config/dev.yaml's settings. data-ingestion on :3000 → data-processing on :3001, with
 * - appmesh (dev's provider): a stand-in for Envoy on :3002 between them, retrying as the route says, as
 *   Envoy does; data-ingestion does not retry;
 * - service-connect: no stand-in; data-ingestion retries, with the policy meshform would give it.
 * Undeliverable readings go to a durable local dead-letter queue and processed request ids to a log, both
 * under .meshform/local/, so they survive a restart; `npm run redrive -- --local` replays the queue.
 */
import { parseArgs } from "node:util";
import { loadEnvironments } from "../../environments";
import { PROVIDERS } from "../../providers";
import type { ProviderId } from "../../providers/provider";
import { createIngestionApp } from "../data-ingestion/app";
import { Upstream } from "../data-ingestion/upstream";
import { createProcessingApp } from "../data-processing/app";
import { FaultInjector } from "../data-processing/faults";
import { ProcessedIds } from "../data-processing/processed-ids";
import { FileDeadLetterQueue } from "../shared/dead-letters/file-queue";
import { SAMPLE_READING } from "../shared/ev";
import { jsonLogger, listen } from "../shared/http";
import { RetryBudget } from "../shared/retry-budget";
import { createMeshProxy } from "./mesh-proxy";
import { callerForwardHeaders, callerPolicy, LOCAL_DEAD_LETTERS, LOCAL_PROCESSED } from "./settings";

const INGESTION_PORT = Number(process.env.APP_PORT ?? 3000);
const PROCESSING_PORT = Number(process.env.PROCESSING_PORT ?? 3001);
const PROXY_PORT = Number(process.env.PROXY_PORT ?? 3002);

async function main(): Promise<void> {
  const dev = loadEnvironments("config", "dev").environments[0];
  const route = dev?.services.find((s) => s.name === "data-processing")?.route;
  if (!dev || !route?.retryPolicy) throw new Error("config/dev.yaml must be valid and give data-processing a retry policy");
  const { values } = parseArgs({ options: { provider: { type: "string", default: dev.mesh.provider } } });
  const ids = Object.keys(PROVIDERS) as ProviderId[];
  const provider = values.provider as ProviderId;
  if (!ids.includes(provider)) throw new Error(`--provider must be one of ${ids.join(", ")}, got ${JSON.stringify(values.provider)}`);
  // Where the provider's proxy retries (App Mesh's Envoy), a stand-in does between the two apps.
  const proxyRetries = PROVIDERS[provider].retries.by === "proxy";

  const processing = createProcessingApp({
    log: jsonLogger("data-processing"),
    faults: new FaultInjector(Number(process.env.FAULT_503_RATE ?? 0)),
    processed: new ProcessedIds(LOCAL_PROCESSED),
  });
  await listen(processing, PROCESSING_PORT, "127.0.0.1");
  const servers = [processing];
  let target = `http://127.0.0.1:${PROCESSING_PORT}`;
  if (proxyRetries) {
    const proxy = createMeshProxy(new URL(target), route.retryPolicy, route.timeoutMs, jsonLogger("envoy"));
    await listen(proxy, PROXY_PORT, "127.0.0.1");
    servers.push(proxy);
    target = `http://127.0.0.1:${PROXY_PORT}`;
  }
  const policy = callerPolicy(dev, "data-ingestion", "data-processing", provider);
  const ingestion = createIngestionApp({
    log: jsonLogger("data-ingestion"),
    processing: {
      upstream: new Upstream(new URL("/ev", target)),
      policy,
      budget: new RetryBudget(),
      forwardHeaders: callerForwardHeaders(dev, "data-ingestion", "data-processing"),
    },
    deadLetters: new FileDeadLetterQueue(LOCAL_DEAD_LETTERS),
  });
  await listen(ingestion, INGESTION_PORT, "127.0.0.1");
  servers.push(ingestion);

  const url = `http://127.0.0.1:${INGESTION_PORT}/ev`;
  const body = `'${JSON.stringify(SAMPLE_READING)}'`;
  const retries = route.retryPolicy;
  const path = proxyRetries
    ? `Envoy stand-in :${PROXY_PORT} (${retries.maxRetries} retries, ${retries.perRetryTimeoutMs} ms per try)`
    : `its own retries (${policy.maxRetries}, ${policy.perTryTimeoutMs} ms per try, backoff up to ${policy.backoff.capMs} ms)`;
  console.log(`
${provider}: data-ingestion http://127.0.0.1:${INGESTION_PORT}  ->  ${path}  ->  data-processing :${PROCESSING_PORT}
dead letters: ${LOCAL_DEAD_LETTERS} (npm run redrive -- --local), processed ids: ${LOCAL_PROCESSED}, GET :${PROCESSING_PORT}/stats

  curl -i -H 'content-type: application/json' -d ${body} ${url}                         # 200
  curl -i -H 'content-type: application/json' -H 'x-503: 2' -d ${body} ${url}           # 200: two 503s, retried
  curl -i -H 'content-type: application/json' -H 'x-503: true' -d ${body} ${url}        # 202: retries spent, dead-lettered
`);
  const stop = () => {
    for (const s of servers) s.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: Error) => {
  console.error(`services: ${err.message}`);
  process.exit(1);
});
