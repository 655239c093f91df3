import { createServer, type IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import type { RetryPolicy } from "../../../src/config/model";
import { createMeshProxy, ENVOY_BACKOFF, envoyBackoff } from "../../../src/services/local/mesh-proxy";
import { start } from "../helpers";

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxRetries: 3,
  perRetryTimeoutMs: 1000,
  httpRetryEvents: ["gateway-error"],
  tcpRetryEvents: ["connection-error"],
  backoff: { baseMs: 25, capMs: 250 },
  ...over,
});

/** An upstream answering a script of statuses ("hang" never answers); records headers and arrival times. */
function scripted(script: (number | "hang")[]) {
  const seen: { headers: IncomingHttpHeaders; at: number }[] = [];
  const server = createServer((req, res) => {
    seen.push({ headers: req.headers, at: performance.now() });
    const next = script[Math.min(seen.length - 1, script.length - 1)]!;
    if (next !== "hang") res.writeHead(next).end("x");
  });
  return { server, seen };
}

describe("the Envoy stand-in", () => {
  it("backs off as Envoy does: retry n waits in [0, (2^n − 1) × 25 ms), at most 250 ms", () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5].map((n) => envoyBackoff(n, top))).toEqual([24, 74, 174, 249, 249]);
    expect(envoyBackoff(3, () => 0)).toBe(0);
    expect(ENVOY_BACKOFF).toEqual({ baseMs: 25, maxMs: 250 });
  });

  it("retries gateway errors, telling the upstream which attempt each is, and pauses within Envoy's bounds", async () => {
    const up = scripted([503, 502, 504, 200]);
    const proxy = await start(createMeshProxy(new URL(await start(up.server)), policy(), 10_000));
    expect((await fetch(proxy)).status).toBe(200);
    expect(up.seen.map((s) => s.headers["x-envoy-attempt-count"])).toEqual(["1", "2", "3", "4"]);
    const gaps = up.seen.slice(1).map((s, i) => s.at - up.seen[i]!.at);
    for (const [i, gap] of gaps.entries()) expect(gap).toBeLessThan(Math.min(250, (2 ** (i + 1) - 1) * 25) + 40);
  });

  it("stops after maxRetries and returns the last answer", async () => {
    const up = scripted([503]);
    const proxy = await start(createMeshProxy(new URL(await start(up.server)), policy({ maxRetries: 2 }), 10_000));
    expect((await fetch(proxy)).status).toBe(503);
    expect(up.seen).toHaveLength(3);
  });

  it("does not retry statuses outside its events", async () => {
    const up = scripted([500, 200]);
    const proxy = await start(createMeshProxy(new URL(await start(up.server)), policy(), 10_000));
    expect((await fetch(proxy)).status).toBe(500);
    expect(up.seen).toHaveLength(1);
  });

  it("counts a try past the per-retry timeout as a 504, which gateway-error retries", async () => {
    const up = scripted(["hang", 200]);
    const proxy = await start(createMeshProxy(new URL(await start(up.server)), policy({ perRetryTimeoutMs: 100 }), 10_000));
    expect((await fetch(proxy)).status).toBe(200);
    expect(up.seen).toHaveLength(2);
    const onlyServerErrors = scripted(["hang", 200]);
    const strict = await start(
      createMeshProxy(
        new URL(await start(onlyServerErrors.server)),
        policy({ perRetryTimeoutMs: 100, httpRetryEvents: ["client-error"], tcpRetryEvents: [] }),
        10_000,
      ),
    );
    expect((await fetch(strict)).status).toBe(504);
    expect(onlyServerErrors.seen).toHaveLength(1);
  });

  it("gives up with 504 at the route's overall timeout, however many retries are left", async () => {
    const up = scripted(["hang"]);
    const proxy = await start(createMeshProxy(new URL(await start(up.server)), policy({ maxRetries: 12, perRetryTimeoutMs: 100 }), 250));
    const started = Date.now();
    expect((await fetch(proxy)).status).toBe(504);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
