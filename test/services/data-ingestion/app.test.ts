import { createServer, type IncomingHttpHeaders } from "node:http";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { createIngestionApp, processingUrl } from "../../../src/services/data-ingestion/app";
import { Upstream } from "../../../src/services/data-ingestion/upstream";
import { createProcessingApp } from "../../../src/services/data-processing/app";
import { createMeshProxy } from "../../../src/services/local/mesh-proxy";
import type { Attempt, CallPolicy } from "../../../src/services/shared/call-policy";
import type { DeadLetter, DeadLetterQueue } from "../../../src/services/shared/dead-letters/dead-letters";
import { FileDeadLetterQueue } from "../../../src/services/shared/dead-letters/file-queue";
import { listen } from "../../../src/services/shared/http";
import { RetryBudget } from "../../../src/services/shared/retry-budget";
import { FakeClock } from "../clock";
import { post, READING, start, tempDir } from "../helpers";

interface Seen {
  headers: IncomingHttpHeaders;
  body: any;
  socket: unknown;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> } | "reset" | "hang";

/**
 * A fake data-processing that records every request and answers as told; with a clock, each request is a
 * `try <n>` event on it, beside the caller's pauses.
 */
function fakeProcessing(answer: (seen: Seen, n: number) => Answer = () => ({ status: 200, body: { ok: true } }), clock?: FakeClock) {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const s = { headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()), socket: req.socket };
    seen.push(s);
    clock?.events.push(`try ${req.headers["x-attempt-count"]}`);
    const a = answer(s, seen.length);
    if (a === "hang") return;
    if (a === "reset") req.socket.destroy();
    else res.writeHead(a.status, { "content-type": "application/json", ...a.headers }).end(JSON.stringify(a.body));
  });
  return { server, seen };
}

/** Service Connect's shape of policy: the caller retries gateway and connection errors. */
const RETRYING: CallPolicy = {
  deadlineMs: 10_000,
  maxRetries: 3,
  perTryTimeoutMs: 1_000,
  retryOn: new Set(["gateway-error", "connection-error"]),
  backoff: { baseMs: 20, capMs: 200 },
};
/** App Mesh's shape: one try, Envoy retries. */
const ONE_TRY: CallPolicy = { ...RETRYING, maxRetries: 0, perTryTimeoutMs: RETRYING.deadlineMs, retryOn: new Set() };

/** A dead-letter queue in memory that can be made to fail. */
function memoryQueue(fail = false) {
  const letters: DeadLetter[] = [];
  const queue: DeadLetterQueue = {
    send: async (l) => {
      if (fail) throw new Error("SQS is down");
      letters.push(l);
      return `dl-${letters.length}`;
    },
    receive: async () => [],
    delete: async () => {},
    count: async () => letters.length,
    close: async () => {},
  };
  return { queue, letters };
}

/** data-ingestion calling `base`, its pauses on `clock` (a fake one by default: no test waits for a backoff). */
async function ingestionTo(
  base: string,
  policy: CallPolicy = ONE_TRY,
  deadLetters?: DeadLetterQueue,
  { budget = new RetryBudget(), clock = new FakeClock(), upstream = new Upstream(new URL("/ev", base)) } = {},
): Promise<string> {
  const processing = { upstream, policy, budget, clock };
  return start(createIngestionApp({ log: () => {}, processing, ...(deadLetters && { deadLetters }) }));
}

/** Each try the upstream client makes: the time it was given, and how it ended. */
function recordTries(upstream: Upstream) {
  const tries: { timeoutMs: number; outcome: string }[] = [];
  const attempt = upstream.attempt.bind(upstream);
  vi.spyOn(upstream, "attempt").mockImplementation(async (payload, headers, timeoutMs) => {
    const outcome: Attempt = await attempt(payload, headers, timeoutMs);
    tries.push({ timeoutMs, outcome: outcome.kind === "answer" ? String(outcome.status) : outcome.kind });
    return outcome;
  });
  return tries;
}

describe("data-ingestion forwarding", () => {
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

  it("passes a 4xx from data-processing back to the client: bad data is neither retried nor dead-lettered", async () => {
    const fake = fakeProcessing(() => ({ status: 422, body: { error: "no" } }));
    const dl = memoryQueue();
    const url = await ingestionTo(await start(fake.server), RETRYING, dl.queue);
    expect(await post(`${url}/ev`)).toMatchObject({
      status: 422,
      body: { error: "data-processing answered 422", upstream: { error: "no" } },
    });
    expect([fake.seen.length, dl.letters.length]).toEqual([1, 0]);
  });

  it("reuses one keep-alive connection for sequential requests", async () => {
    const fake = fakeProcessing();
    const url = await ingestionTo(await start(fake.server));
    for (let i = 0; i < 5; i++) await post(`${url}/ev`);
    expect(new Set(fake.seen.map((s) => s.socket)).size).toBe(1);
  });
});

describe("data-ingestion retrying under Service Connect", () => {
  it("retries 503s with the same request id on every try, counting tries, pausing with jittered backoff", async () => {
    const clock = new FakeClock(() => 0.999999);
    const fake = fakeProcessing((_s, n) => (n < 4 ? { status: 503, body: { error: "busy" } } : { status: 200, body: { ok: true } }), clock);
    const url = await ingestionTo(await start(fake.server), RETRYING, undefined, { clock });
    expect(await post(`${url}/ev`, READING, { "x-request-id": "r-1" })).toMatchObject({ status: 200, body: { ok: true } });
    expect(fake.seen.map((s) => [s.headers["x-request-id"], s.headers["x-attempt-count"]])).toEqual([
      ["r-1", "1"],
      ["r-1", "2"],
      ["r-1", "3"],
      ["r-1", "4"],
    ]);
    // Before retry n a pause in [0, min(cap, base × 2^n)): with the jitter at the top, 19, 39, 79 ms of 20, 40, 80.
    expect(clock.events).toEqual(["try 1", "sleep 19", "try 2", "sleep 39", "try 3", "sleep 79", "try 4"]);
  });

  it("retries a refused connection and a try that hangs past the per-try timeout, giving every try that timeout", async () => {
    const fake = fakeProcessing((_s, n) => (n === 1 ? "hang" : n === 2 ? "reset" : { status: 200, body: { ok: true } }));
    const base = await start(fake.server);
    const upstream = new Upstream(new URL("/ev", base));
    const tries = recordTries(upstream);
    // The hang ends only when the HTTP client's own timer fires: the one real timeout here (the others answer at once).
    const url = await ingestionTo(base, { ...RETRYING, perTryTimeoutMs: 500 }, undefined, { upstream });
    expect(await post(`${url}/ev`)).toMatchObject({ status: 200 });
    expect(fake.seen).toHaveLength(3);
    expect(tries).toEqual([
      { timeoutMs: 500, outcome: "timeout" },
      { timeoutMs: 500, outcome: "connection" },
      { timeoutMs: 500, outcome: "200" },
    ]);
  });

  it("does not retry when it is under App Mesh (Envoy retries): one try, and the failure is dead-lettered", async () => {
    const fake = fakeProcessing(() => ({ status: 503, body: { error: "busy" } }));
    const dl = memoryQueue();
    const url = await ingestionTo(await start(fake.server), ONE_TRY, dl.queue);
    expect((await post(`${url}/ev`)).status).toBe(202);
    expect(fake.seen).toHaveLength(1);
  });
});

describe("data-ingestion dead-lettering", () => {
  it("dead-letters a reading whose tries are spent, with the reason, the tries and the request id, and answers 202 naming it", async () => {
    const fake = fakeProcessing(() => ({ status: 503, body: { error: "busy" } }));
    const dl = memoryQueue();
    const url = await ingestionTo(await start(fake.server), RETRYING, dl.queue);
    const res = await post(`${url}/ev`, READING, { "x-request-id": "r-2", "x-503": "true", traceparent: "00-abc-def-01" });
    expect(res).toMatchObject({
      status: 202,
      body: {
        status: "dead-lettered",
        deadLetterId: "dl-1",
        requestId: "r-2",
        reason: "retries-exhausted",
        detail: "every try failed (4 tries); the last answered 503",
        attempts: 4,
      },
    });
    expect(dl.letters).toEqual([
      {
        target: "data-processing",
        requestId: "r-2",
        reason: "retries-exhausted",
        detail: "every try failed (4 tries); the last answered 503",
        attempts: 4,
        failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        reading: { ...READING, timestamp: "2024-05-01T12:00:00.000Z" },
        headers: { traceparent: "00-abc-def-01" }, // tracing kept, fault injection not
      },
    ]);
  });

  it("dead-letters a 5xx its policy does not retry, and an unreachable data-processing", async () => {
    const fake = fakeProcessing(() => ({ status: 500, body: { error: "bug" } }));
    const dl = memoryQueue();
    const url = await ingestionTo(await start(fake.server), RETRYING, dl.queue);
    expect(await post(`${url}/ev`)).toMatchObject({
      status: 202,
      body: { reason: "rejected", detail: "data-processing answered 500", attempts: 1 },
    });
    const dead = createServer();
    const port = await listen(dead, 0, "127.0.0.1");
    await new Promise((r) => dead.close(r));
    const gone = await ingestionTo(`http://127.0.0.1:${port}`, { ...RETRYING, maxRetries: 1 }, dl.queue);
    expect(await post(`${gone}/ev`)).toMatchObject({
      status: 202,
      body: { reason: "retries-exhausted", detail: "every try failed (2 tries); the last connection refused (ECONNREFUSED)" },
    });
  });

  it("refuses retries beyond the budget when many readings meet a sustained outage, and still loses none", async () => {
    const fake = fakeProcessing(() => ({ status: 503, body: { error: "down" } }));
    const dl = memoryQueue();
    const clock = new FakeClock();
    clock.hold(); // every call that may retry waits before its first retry, until release()
    const url = await ingestionTo(await start(fake.server), { ...RETRYING, maxRetries: 12 }, dl.queue, { clock });
    const answers = Promise.all(Array.from({ length: 40 }, (_, i) => post(`${url}/ev`, READING, { "x-request-id": `r-${i}` })));
    // Every reading has failed once: its call waits to retry, or was refused a retry and dead-lettered at once.
    await vi.waitFor(() => expect(clock.waiting + dl.letters.length).toBe(40), { timeout: 20_000, interval: 5 });
    const waited = clock.waiting;
    expect(waited).toBeGreaterThanOrEqual(3); // Envoy's min_retry_concurrency...
    expect(waited).toBeLessThanOrEqual(8); // ...and at most 20% of the 40 calls
    expect(dl.letters.map((l) => [l.reason, l.attempts])).toEqual(Array(40 - waited).fill(["budget", 1]));
    clock.release();
    expect((await answers).map((a) => a.status)).toEqual(Array(40).fill(202));
    // The calls that kept their retries, a few at a time, spend all 12.
    expect(dl.letters.filter((l) => l.reason === "retries-exhausted").map((l) => l.attempts)).toEqual(Array(waited).fill(13));
    expect(dl.letters).toHaveLength(40);
    expect(fake.seen).toHaveLength(40 + 12 * waited); // not 40 × 13
  });

  it("answers 503 with Retry-After when even the dead-letter queue fails: the client knows to send it again", async () => {
    const fake = fakeProcessing(() => ({ status: 503, body: {} }));
    const url = await ingestionTo(await start(fake.server), ONE_TRY, memoryQueue(true).queue);
    const res = await post(`${url}/ev`);
    expect(res).toMatchObject({
      status: 503,
      body: { error: "the reading could not be delivered nor dead-lettered; send it again later" },
    });
    expect(res.headers.get("retry-after")).toBe("5");
  });

  it("answers 502, 504 or the upstream's 5xx when no dead-letter queue is configured", async () => {
    const reset = fakeProcessing(() => "reset");
    expect(await post(`${await ingestionTo(await start(reset.server))}/ev`)).toMatchObject({
      status: 502,
      body: { error: "data-processing connection reset (ECONNRESET)" },
    });
    const slow = fakeProcessing(() => "hang");
    expect(
      await post(`${await ingestionTo(await start(slow.server), { ...ONE_TRY, deadlineMs: 100, perTryTimeoutMs: 100 })}/ev`),
    ).toMatchObject({
      status: 504,
      body: { error: "data-processing no answer in time" },
    });
    const busy = fakeProcessing(() => ({ status: 503, body: { error: "busy" } }));
    expect(await post(`${await ingestionTo(await start(busy.server))}/ev`)).toMatchObject({
      status: 503,
      body: { error: "data-processing answered 503", upstream: { error: "busy" } },
    });
  });
});

describe("data-ingestion through the App Mesh stand-in", () => {
  it("recovers from x-503: 2 by Envoy's retries, and dead-letters x-503: true once they are spent", async () => {
    const processing = await start(createProcessingApp({ log: () => {} }));
    const policy = {
      maxRetries: 12,
      perRetryTimeoutMs: 5000,
      httpRetryEvents: ["gateway-error"],
      tcpRetryEvents: ["connection-error"],
      backoff: { baseMs: 25, capMs: 250 },
    };
    const mesh = await start(createMeshProxy(new URL(processing), policy, 65_000, () => {}, new FakeClock()));
    const queue = new FileDeadLetterQueue(join(tempDir("dl"), "dead-letters.jsonl"));
    const url = await ingestionTo(mesh, ONE_TRY, queue);
    expect(await post(`${url}/ev`, READING, { "x-503": "2" })).toMatchObject({ status: 200, body: { vehicle_id: "EV-001" } });
    expect(await post(`${url}/ev`, READING, { "x-503": "true" })).toMatchObject({
      status: 202,
      body: { reason: "rejected", detail: "data-processing answered 503" },
    });
    expect(await queue.count()).toBe(1);
  });
});

describe("processingUrl", () => {
  it("takes DATA_PROCESSING_URL as set by meshform, or builds it from MESH_NAMESPACE", () => {
    expect(processingUrl({ DATA_PROCESSING_URL: "http://data-processing.dev.x.internal:3000" }).href).toBe(
      "http://data-processing.dev.x.internal:3000/ev",
    );
    expect(processingUrl({ MESH_NAMESPACE: "dev.x.internal" }).href).toBe("http://data-processing.dev.x.internal:3000/ev");
    expect(() => processingUrl({})).toThrow("set DATA_PROCESSING_URL (or MESH_NAMESPACE) to reach data-processing");
  });
});
