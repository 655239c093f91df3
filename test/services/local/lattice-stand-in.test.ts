/**
 * The VPC Lattice stand-in: only signed requests get in (403 otherwise), and they go where the environment's rules
 * and weights send them, counted request by request with a chance that is a sequence, not a dice.
 */
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { createIngestionApp } from "../../../src/services/data-ingestion/app";
import { Upstream } from "../../../src/services/data-ingestion/upstream";
import { createProcessingApp } from "../../../src/services/data-processing/app";
import { FaultInjector } from "../../../src/services/data-processing/faults";
import { ProcessedIds } from "../../../src/services/data-processing/processed-ids";
import { createLatticeStandIn } from "../../../src/services/local/lattice-stand-in";
import type { CallPolicy } from "../../../src/services/shared/call-policy";
import { RetryBudget } from "../../../src/services/shared/retry-budget";
import { sigV4 } from "../../../src/services/shared/signing";
import { edit, resolve } from "../../helpers";
import { LATTICE_FILE, LATTICE_YAML } from "../../providers/vpc-lattice/lattice-yaml";
import { post, READING, start } from "../helpers";

const auth = {
  service: "vpc-lattice-svcs",
  region: "eu-west-1",
  credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
};
const api = (yaml = LATTICE_YAML) => resolve(yaml, LATTICE_FILE).services.find((s) => s.name === "api")!;

/** A version's tasks: answers 200 naming the version, and counts. */
function version(name: string, seen: string[]) {
  return createServer((req, res) => {
    seen.push(`${name} ${req.method} ${req.url}${req.headers.authorization ? " signed" : ""}`);
    req.resume().on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ version: name })));
  });
}

/** The stand-in in front of api's two versions, with `random` answering 0, 0.01, 0.02, … in turn (by default). */
async function standIn(yaml = LATTICE_YAML, random?: () => number) {
  const seen: string[] = [];
  const upstreams = new Map([
    ["v1", new URL(await start(version("v1", seen)))],
    ["v2", new URL(await start(version("v2", seen)))],
  ]);
  let i = 0;
  const server = createLatticeStandIn({ service: api(yaml), upstreams, auth, random: random ?? (() => (i++ % 100) / 100) });
  return { url: await start(server), seen, counts: server.counts };
}

/** A signed request, as a caller with the stand-in's key makes it. */
async function signed(
  base: string,
  path: string,
  { method = "POST", headers = {} as Record<string, string>, key = auth.credentials } = {},
) {
  const url = new URL(path, base);
  const all = await sigV4({ ...auth, credentials: key }).sign(method, url, { ...headers, "content-type": "application/json" });
  const { host: _host, ...sent } = all;
  const res = await fetch(url, { method, headers: sent, ...(method !== "GET" && { body: "{}" }) });
  return { status: res.status, body: await res.json() };
}

describe("the VPC Lattice stand-in", () => {
  it("refuses an unsigned request, or one signed with another key, with 403, and sends it nowhere", async () => {
    const { url, seen, counts } = await standIn();
    const unsigned = await post(`${url}/ev`);
    expect(unsigned).toMatchObject({
      status: 403,
      body: { message: "AccessDeniedException: the request is not signed (no Authorization header)" },
    });
    const forged = await signed(url, "/ev", { key: { accessKeyId: "AKIDLOCAL", secretAccessKey: "guessed" } });
    expect(forged).toEqual({ status: 403, body: { message: "AccessDeniedException: the signature does not match the request" } });
    expect(seen).toEqual([]);
    expect(counts.refused).toBe(2);
  });

  it("keeps the weighted canary: of 100 requests no rule takes, 90 reach v1 and 10 reach v2", async () => {
    const { url, seen } = await standIn();
    for (let n = 0; n < 100; n++) expect((await signed(url, "/ev")).status).toBe(200);
    expect([seen.filter((s) => s.startsWith("v1")).length, seen.filter((s) => s.startsWith("v2")).length]).toEqual([90, 10]);
    // Lattice checked the signature; the tasks get the request without it.
    expect(seen.every((s) => !s.endsWith("signed"))).toBe(true);
  });

  it("sends the beta header to v2 always, POST /orders half and half, /legacy to v1, matching case-sensitively", async () => {
    let n = 0;
    const { url, seen, counts } = await standIn(LATTICE_YAML, () => (n++ % 2 === 0 ? 0.25 : 0.75));
    for (let i = 0; i < 10; i++) await signed(url, "/ev", { headers: { "x-beta-user": "true", "x-tenant": "acme-eu" } });
    expect(seen.splice(0)).toEqual(Array(10).fill("v2 POST /ev"));
    await signed(url, "/ev", { headers: { "x-beta-user": "TRUE", "x-tenant": "acme-eu" } }); // not the rule's value: the default
    await signed(url, "/ev", { headers: { "x-beta-user": "true" } }); // one of the rule's two headers: the default
    expect(seen.splice(0)).toEqual(["v1 POST /ev", "v1 POST /ev"]);
    for (let i = 0; i < 4; i++) await signed(url, "/orders");
    expect(seen.splice(0).sort()).toEqual(["v1 POST /orders", "v1 POST /orders", "v2 POST /orders", "v2 POST /orders"]);
    await signed(url, "/legacy/x", { method: "GET" });
    expect(seen.splice(0)).toEqual(["v1 GET /legacy/x"]);
    expect(Object.fromEntries(counts.forwarded)).toEqual({ v1: 5, v2: 12 });
  });

  it("answers 404 where no rule takes a request and no route takes every request", async () => {
    const { url, seen } = await standIn(
      edit(LATTICE_YAML, "      - { name: main, priority: 40, to: { v1: 90, v2: 10 }, timeout: 20s }\n", ""),
    );
    expect(await signed(url, "/ev")).toEqual({ status: 404, body: { message: "no rule takes this request" } });
    expect(seen).toEqual([]);
  });

  it("lets data-ingestion's signed call reach data-processing, and refuses the same reading unsigned", async () => {
    const processing = createProcessingApp({ log: () => {}, faults: new FaultInjector(0), processed: new ProcessedIds() });
    const processingUrl = await start(processing);
    const worker = resolve(LATTICE_YAML, LATTICE_FILE).services.find((s) => s.name === "worker")!;
    const lattice = createLatticeStandIn({ service: worker, upstreams: new Map([[undefined, new URL(processingUrl)]]), auth });
    const latticeUrl = await start(lattice);
    const policy: CallPolicy = {
      deadlineMs: 5_000,
      maxRetries: 0,
      perTryTimeoutMs: 5_000,
      retryOn: new Set(),
      backoff: { baseMs: 1, capMs: 1 },
    };
    const upstream = new Upstream(new URL("/ev", latticeUrl), sigV4(auth));
    const ingestion = await start(createIngestionApp({ log: () => {}, processing: { upstream, policy, budget: new RetryBudget() } }));
    expect((await post(`${ingestion}/ev`, READING, { "x-request-id": "signed-1" })).status).toBe(200);
    expect((await post(`${latticeUrl}/ev`, READING, { "x-request-id": "unsigned-1" })).status).toBe(403);
    expect(await (await fetch(`${processingUrl}/stats`)).json()).toMatchObject({ processed: 1 });
    expect([Object.fromEntries(lattice.counts.forwarded), lattice.counts.refused]).toEqual([{ "": 1 }, 1]);
  });
});
