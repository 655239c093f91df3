/**
 * `npm run services [-- --provider appmesh|service-connect|vpc-lattice] [--env NAME]`: the reference system on this
 * machine, with an environment's settings (config/dev.yaml's by default). data-ingestion on :3000 → data-processing
 * on :3001, with
 * - appmesh (dev's provider): a stand-in for Envoy on :3002 between them, retrying as the route says, as
 *   Envoy does; data-ingestion does not retry;
 * - service-connect: no stand-in; data-ingestion retries, with the policy meshform would give it;
 * - vpc-lattice: a stand-in for VPC Lattice on :3002 that lets in only signed requests and routes by the
 *   environment's rules and weights, to one data-processing per version (:3001, then :3003, :3004, …);
 *   data-ingestion retries and signs its calls (SigV4, with local credentials).
 * Undeliverable readings go to a durable local dead-letter queue and processed request ids to a log, both
 * under .meshform/local/, so they survive a restart; `npm run redrive -- --local` replays the queue.
 */
import type { Server } from "node:http";
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
import { sigV4 } from "../shared/signing";
import { createLatticeStandIn } from "./lattice-stand-in";
import { createMeshProxy } from "./mesh-proxy";
import { callerForwardHeaders, callerPolicy, LOCAL_CREDENTIALS, LOCAL_DEAD_LETTERS, localSigning, processedLog } from "./settings";

const INGESTION_PORT = Number(process.env.APP_PORT ?? 3000);
const PROCESSING_PORT = Number(process.env.PROCESSING_PORT ?? 3001);
const PROXY_PORT = Number(process.env.PROXY_PORT ?? 3002);

/** Where a version's data-processing listens: the first on PROCESSING_PORT, the others after the stand-in's port. */
const versionPort = (i: number) => (i === 0 ? PROCESSING_PORT : PROXY_PORT + i);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { provider: { type: "string" }, env: { type: "string", default: "dev" } } });
  const env = loadEnvironments("config", values.env).environments[0];
  const processingService = env?.services.find((s) => s.name === "data-processing");
  const route = processingService?.route;
  if (!env || !processingService || !route?.retryPolicy)
    throw new Error(`config/${values.env}.yaml must be valid and give data-processing a retry policy`);
  const ids = Object.keys(PROVIDERS) as ProviderId[];
  const provider = (values.provider ?? env.mesh.provider) as ProviderId;
  if (!ids.includes(provider)) throw new Error(`--provider must be one of ${ids.join(", ")}, got ${JSON.stringify(values.provider)}`);
  const mesh = PROVIDERS[provider];
  // Where the provider's proxy retries (App Mesh's Envoy), a stand-in does between the two apps; where calls are
  // signed (VPC Lattice), a stand-in checks them and routes by the rules, to every version.
  const proxyRetries = mesh.retries.by === "proxy";
  const signed = mesh.supports("signedCalls");
  const versions = signed ? processingService.versions : processingService.versions.slice(0, 1);

  const servers: Server[] = [];
  const upstreams = new Map<string | undefined, URL>();
  for (const [i, v] of versions.entries()) {
    const processing = createProcessingApp({
      log: jsonLogger(v.name === undefined ? "data-processing" : `data-processing-${v.name}`),
      faults: new FaultInjector(Number(process.env.FAULT_503_RATE ?? 0)),
      processed: new ProcessedIds(processedLog(v.name)),
    });
    await listen(processing, versionPort(i), "127.0.0.1");
    servers.push(processing);
    upstreams.set(v.name, new URL(`http://127.0.0.1:${versionPort(i)}`));
  }
  let target = `http://127.0.0.1:${PROCESSING_PORT}`;
  const signing = localSigning(env, "data-ingestion", "data-processing", provider);
  if (proxyRetries || signing) {
    const proxy = signing
      ? createLatticeStandIn({ service: processingService, upstreams, auth: signing, log: jsonLogger("lattice") })
      : createMeshProxy(new URL(target), route.retryPolicy, route.timeoutMs, jsonLogger("envoy"));
    await listen(proxy, PROXY_PORT, "127.0.0.1");
    servers.push(proxy);
    target = `http://127.0.0.1:${PROXY_PORT}`;
  }
  const policy = callerPolicy(env, "data-ingestion", "data-processing", provider);
  const ingestion = createIngestionApp({
    log: jsonLogger("data-ingestion"),
    processing: {
      upstream: new Upstream(new URL("/ev", target), signing && sigV4(signing)),
      policy,
      budget: new RetryBudget(),
      forwardHeaders: callerForwardHeaders(env, "data-ingestion", "data-processing"),
    },
    deadLetters: new FileDeadLetterQueue(LOCAL_DEAD_LETTERS),
  });
  await listen(ingestion, INGESTION_PORT, "127.0.0.1");
  servers.push(ingestion);

  const url = `http://127.0.0.1:${INGESTION_PORT}/ev`;
  const body = `'${JSON.stringify(SAMPLE_READING)}'`;
  const retries = route.retryPolicy;
  const ownRetries = `its own retries (${policy.maxRetries}, ${policy.perTryTimeoutMs} ms per try, backoff up to ${policy.backoff.capMs} ms)`;
  const path = proxyRetries
    ? `Envoy stand-in :${PROXY_PORT} (${retries.maxRetries} retries, ${retries.perRetryTimeoutMs} ms per try)`
    : signing
      ? `${ownRetries}, signed (SigV4, key ${LOCAL_CREDENTIALS.accessKeyId}) -> VPC Lattice stand-in :${PROXY_PORT} (rules and weights of ${env.name})`
      : ownRetries;
  const processingPorts = versions.map((v, i) => `${v.name ?? "data-processing"} :${versionPort(i)}`).join(", ");
  console.log(`
${provider} (${env.name}): data-ingestion http://127.0.0.1:${INGESTION_PORT}  ->  ${path}  ->  ${processingPorts}
dead letters: ${LOCAL_DEAD_LETTERS} (npm run redrive -- --local), processed ids: ${versions.map((v) => processedLog(v.name)).join(", ")}, GET /stats

  curl -i -H 'content-type: application/json' -d ${body} ${url}                         # 200
  curl -i -H 'content-type: application/json' -H 'x-503: 2' -d ${body} ${url}           # 200: two 503s, retried
  curl -i -H 'content-type: application/json' -H 'x-503: true' -d ${body} ${url}        # 202: retries spent, dead-lettered${
    signing ? `\n  curl -i -H 'content-type: application/json' -d ${body} ${target}/ev                          # 403: not signed` : ""
  }
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
