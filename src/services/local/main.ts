/**
 * `npm run services`: data-ingestion on :3000 forwarding, through a local stand-in for Envoy that applies
 * config/dev.yaml's retry policy, to data-processing on :3001. Ctrl-C stops all three.
 */
import { loadEnvironments } from "../../config/environments";
import { createIngestionApp } from "../data-ingestion/app";
import { Upstream } from "../data-ingestion/upstream";
import { createProcessingApp } from "../data-processing/app";
import { FaultInjector } from "../data-processing/faults";
import { SAMPLE_READING } from "../shared/ev";
import { jsonLogger, listen } from "../shared/http";
import { createMeshProxy } from "./mesh-proxy";

const INGESTION_PORT = Number(process.env.APP_PORT ?? 3000);
const PROCESSING_PORT = Number(process.env.PROCESSING_PORT ?? 3001);
const PROXY_PORT = Number(process.env.PROXY_PORT ?? 3002);

async function main(): Promise<void> {
  const dev = loadEnvironments("config", "dev").environments[0];
  const route = dev?.services.find((s) => s.name === "data-processing")?.route;
  const policy = route?.retryPolicy;
  if (!route || !policy) throw new Error("config/dev.yaml must be valid and give data-processing a retry policy");

  const processing = createProcessingApp({
    log: jsonLogger("data-processing"),
    faults: new FaultInjector(Number(process.env.FAULT_503_RATE ?? 0)),
  });
  await listen(processing, PROCESSING_PORT, "127.0.0.1");
  const proxy = createMeshProxy(new URL(`http://127.0.0.1:${PROCESSING_PORT}`), policy, route.timeoutMs, jsonLogger("mesh"));
  await listen(proxy, PROXY_PORT, "127.0.0.1");
  const upstream = new Upstream(new URL(`http://127.0.0.1:${PROXY_PORT}/ev`), 70_000);
  const ingestion = createIngestionApp({ log: jsonLogger("data-ingestion"), upstream });
  await listen(ingestion, INGESTION_PORT, "127.0.0.1");

  const url = `http://127.0.0.1:${INGESTION_PORT}/ev`;
  const body = `'${JSON.stringify(SAMPLE_READING)}'`;
  console.log(`
data-ingestion  http://127.0.0.1:${INGESTION_PORT}  ->  mesh stand-in :${PROXY_PORT} (${policy.maxRetries} retries, ${policy.perRetryTimeoutMs} ms per try)  ->  data-processing :${PROCESSING_PORT}

  curl -i -H 'content-type: application/json' -d ${body} ${url}                         # 200
  curl -i -H 'content-type: application/json' -H 'x-503: true' -d ${body} ${url}        # 503 after every retry
  curl -i -H 'content-type: application/json' -H 'x-503: 2' -d ${body} ${url}           # 200: two 503s, retried
`);
  const stop = () => {
    for (const s of [ingestion, proxy, processing]) s.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: Error) => {
  console.error(`services: ${err.message}`);
  process.exit(1);
});
