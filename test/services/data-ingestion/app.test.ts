import { createServer, type IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import { createIngestionApp, processingUrl } from "../../../src/services/data-ingestion/app";
import { Upstream } from "../../../src/services/data-ingestion/upstream";
import { createProcessingApp } from "../../../src/services/data-processing/app";
import { createMeshProxy } from "../../../src/services/local/mesh-proxy";
import { listen } from "../../../src/services/shared/http";
import { READING, post, start } from "../helpers";

interface Seen {
  headers: IncomingHttpHeaders;
  body: any;
  socket: unknown;
}

/** A fake data-processing that records what reached it and answers as told. */
function fakeProcessing(answer: (seen: Seen) => { status: number; body: unknown } | "reset" = () => ({ status: 200, body: { ok: true } })) {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const s = { headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()), socket: req.socket };
    seen.push(s);
    const a = answer(s);
    if (a === "reset") req.socket.destroy();
    else res.writeHead(a.status, { "content-type": "application/json" }).end(JSON.stringify(a.body));
  });
  return { server, seen };
}

async function ingestionTo(upstreamBase: string, timeoutMs = 5000): Promise<string> {
  return start(createIngestionApp({ log: () => {}, upstream: new Upstream(new URL("/ev", upstreamBase), timeoutMs) }));
}

describe("data-ingestion", () => {
  it("forwards a valid reading to /ev with a normalised timestamp and returns the upstream answer", async () => {
    const fake = fakeProcessing(() => ({ status: 200, body: { processed: true } }));
    const url = await ingestionTo(await start(fake.server));
    const res = await post(`${url}/ev`);
    expect(res).toMatchObject({ status: 200, body: { processed: true } });
    expect(fake.seen[0]!.body).toEqual({ ...READING, timestamp: "2024-05-01T12:00:00.000Z" });
  });

  it("stamps an x-request-id when absent and keeps the caller's when present", async () => {
    const fake = fakeProcessing();
    const url = await ingestionTo(await start(fake.server));
    const stamped = await post(`${url}/ev`);
    expect(fake.seen[0]!.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(stamped.headers.get("x-request-id")).toBe(fake.seen[0]!.headers["x-request-id"]);
    await post(`${url}/ev`, READING, { "x-request-id": "mine" });
    expect(fake.seen[1]!.headers["x-request-id"]).toBe("mine");
  });

  it("propagates the fault-injection and tracing headers, and no others", async () => {
    const fake = fakeProcessing();
    const url = await ingestionTo(await start(fake.server));
    await post(`${url}/ev`, READING, { "x-503": "2", "x-amzn-trace-id": "Root=1-abc", traceparent: "00-abc-def-01", cookie: "secret=1" });
    const h = fake.seen[0]!.headers;
    expect([h["x-503"], h["x-amzn-trace-id"], h.traceparent, h.cookie]).toEqual(["2", "Root=1-abc", "00-abc-def-01", undefined]);
  });

  it("rejects bad telemetry itself with 400, without calling upstream", async () => {
    const fake = fakeProcessing();
    const url = await ingestionTo(await start(fake.server));
    const res = await post(`${url}/ev`, { ...READING, location: { latitude: 100, longitude: 0 } });
    expect(res).toMatchObject({ status: 400, body: { problems: [{ field: "location.latitude" }] } });
    expect(fake.seen).toHaveLength(0);
  });

  it("passes an upstream 4xx or 5xx status through with a JSON error", async () => {
    const fake = fakeProcessing(() => ({ status: 503, body: { error: "Service Unavailable: fault injected" } }));
    const url = await ingestionTo(await start(fake.server));
    expect(await post(`${url}/ev`)).toMatchObject({
      status: 503,
      body: { error: "data-processing answered 503", upstream: { error: "Service Unavailable: fault injected" } },
    });
  });

  it("answers 502 when data-processing is unreachable", async () => {
    const dead = createServer();
    const port = await listen(dead, 0, "127.0.0.1");
    await new Promise((r) => dead.close(r));
    const url = await ingestionTo(`http://127.0.0.1:${port}`);
    expect(await post(`${url}/ev`)).toMatchObject({ status: 502, body: { error: "data-processing unreachable (ECONNREFUSED)" } });
  });

  it("answers 502 when data-processing resets the connection, and 504 when it is too slow", async () => {
    const reset = fakeProcessing(() => "reset");
    const url = await ingestionTo(await start(reset.server));
    expect((await post(`${url}/ev`)).status).toBe(502);
    const slow = createServer(() => {});
    const slowUrl = await ingestionTo(await start(slow), 100);
    expect(await post(`${slowUrl}/ev`)).toMatchObject({ status: 504, body: { error: "data-processing no answer within 100 ms" } });
  });

  it("reuses one keep-alive connection for sequential requests", async () => {
    const fake = fakeProcessing();
    const url = await ingestionTo(await start(fake.server));
    for (let i = 0; i < 5; i++) await post(`${url}/ev`);
    expect(new Set(fake.seen.map((s) => s.socket)).size).toBe(1);
  });

  it("recovers from x-503: 2 through a retrying mesh in front of the real data-processing", async () => {
    const processing = await start(createProcessingApp({ log: () => {} }));
    const policy = { maxRetries: 12, perRetryTimeoutMs: 5000, httpRetryEvents: ["gateway-error"], tcpRetryEvents: ["connection-error"], backoff: { baseMs: 25, capMs: 250 } };
    const mesh = await start(createMeshProxy(new URL(processing), policy, 65_000));
    const url = await ingestionTo(mesh);
    expect(await post(`${url}/ev`, READING, { "x-503": "2" })).toMatchObject({ status: 200, body: { vehicle_id: "EV-001" } });
    expect((await post(`${url}/ev`, READING, { "x-503": "true" })).status).toBe(503);
  });
});

describe("processingUrl", () => {
  it("takes DATA_PROCESSING_URL as set by meshform, or builds it from MESH_NAMESPACE", () => {
    expect(processingUrl({ DATA_PROCESSING_URL: "http://data-processing.dev.x.internal:3000" }).href).toBe("http://data-processing.dev.x.internal:3000/ev");
    expect(processingUrl({ MESH_NAMESPACE: "dev.x.internal" }).href).toBe("http://data-processing.dev.x.internal:3000/ev");
    expect(() => processingUrl({})).toThrow("set DATA_PROCESSING_URL (or MESH_NAMESPACE) to reach data-processing");
  });
});

