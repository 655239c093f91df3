/** The Envoy stand-in, try by try on a fake clock: which tries it makes, the pauses between them, when it gives up. */
import { createServer, type IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import type { RetryPolicy } from "../../../src/config/model";
import { createMeshProxy, ENVOY_BACKOFF, envoyBackoff } from "../../../src/services/local/mesh-proxy";
import { FakeClock } from "../clock";
import { collectLogs, start } from "../helpers";

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxRetries: 3,
  perRetryTimeoutMs: 1000,
  httpRetryEvents: ["gateway-error"],
  tcpRetryEvents: ["connection-error"],
  backoff: { baseMs: 25, capMs: 250 },
  ...over,
});

/**
 * An upstream answering a script of statuses; "hang" never answers, so the try's timeout expires on the fake
 * clock. Each request is a `try <n>` event on the clock, beside its pauses and timeouts.
 */
function scripted(script: (number | "hang")[], clock: FakeClock) {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    clock.events.push(`try ${req.headers["x-envoy-attempt-count"]}`);
    const next = script[Math.min(seen.length - 1, script.length - 1)]!;
    if (next === "hang") clock.expire();
    else res.writeHead(next).end("x");
  });
  return { server, seen };
}

async function proxyTo(up: ReturnType<typeof scripted>, clock: FakeClock, retryPolicy: RetryPolicy, routeTimeoutMs = 10_000) {
  const { lines, log } = collectLogs();
  const url = await start(createMeshProxy(new URL(await start(up.server)), retryPolicy, routeTimeoutMs, log, clock));
  return { url, lines };
}

describe("the Envoy stand-in", () => {
  it("backs off as Envoy does: retry n waits in [0, (2^n − 1) × 25 ms), at most 250 ms", () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5].map((n) => envoyBackoff(n, top))).toEqual([24, 74, 174, 249, 249]);
    expect(envoyBackoff(3, () => 0)).toBe(0);
    expect(ENVOY_BACKOFF).toEqual({ baseMs: 25, maxMs: 250 });
  });

  it("retries gateway errors, telling the upstream which attempt each is, pausing as Envoy's backoff says before each", async () => {
    const clock = new FakeClock(() => 0.999999);
    const up = scripted([503, 502, 504, 200], clock);
    const { url, lines } = await proxyTo(up, clock, policy());
    expect((await fetch(url)).status).toBe(200);
    expect(up.seen.map((h) => h["x-envoy-attempt-count"])).toEqual(["1", "2", "3", "4"]);
    // The longest pause Envoy's backoff allows before retries 1, 2, 3 (jitter at the top of its range).
    expect(clock.events).toEqual(["try 1", "sleep 24", "try 2", "sleep 74", "try 3", "sleep 174", "try 4"]);
    expect(lines.map((l) => [l.event, l.attempt, l.reason, l.backoffMs])).toEqual([
      ["retry", 1, 503, 24],
      ["retry", 2, 502, 74],
      ["retry", 3, 504, 174],
    ]);
  });

  it("stops after maxRetries and returns the last answer", async () => {
    const clock = new FakeClock();
    const up = scripted([503], clock);
    const { url } = await proxyTo(up, clock, policy({ maxRetries: 2 }));
    expect((await fetch(url)).status).toBe(503);
    expect(clock.events).toEqual(["try 1", "sleep 12", "try 2", "sleep 37", "try 3"]);
  });

  it("does not retry statuses outside its events", async () => {
    const clock = new FakeClock();
    const up = scripted([500, 200], clock);
    const { url } = await proxyTo(up, clock, policy());
    expect((await fetch(url)).status).toBe(500);
    expect(clock.events).toEqual(["try 1"]);
  });

  it("counts a try past the per-retry timeout as a 504, which gateway-error retries", async () => {
    const clock = new FakeClock();
    const up = scripted(["hang", 200], clock);
    const { url } = await proxyTo(up, clock, policy({ perRetryTimeoutMs: 100 }));
    expect((await fetch(url)).status).toBe(200);
    expect(clock.events).toEqual(["try 1", "timeout 100", "sleep 12", "try 2"]);

    const strictClock = new FakeClock();
    const onlyClientErrors = scripted(["hang", 200], strictClock);
    const strict = await proxyTo(
      onlyClientErrors,
      strictClock,
      policy({ perRetryTimeoutMs: 100, httpRetryEvents: ["client-error"], tcpRetryEvents: [] }),
    );
    expect((await fetch(strict.url)).status).toBe(504);
    expect(strictClock.events).toEqual(["try 1", "timeout 100"]);
  });

  it("gives up with 504 at the route's overall timeout, however many retries are left", async () => {
    const clock = new FakeClock();
    const up = scripted(["hang"], clock);
    const { url } = await proxyTo(up, clock, policy({ maxRetries: 12, perRetryTimeoutMs: 100 }), 250);
    expect((await fetch(url)).status).toBe(504);
    // 100 + 12 + 100 + 37 = 249 ms: the third try gets the 1 ms left, and the next pause (87 ms) would pass the 250.
    expect(clock.events).toEqual(["try 1", "timeout 100", "sleep 12", "try 2", "timeout 100", "sleep 37", "try 3", "timeout 1"]);
    expect(clock.now()).toBe(250);
  });
});
