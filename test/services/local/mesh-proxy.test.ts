import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import type { RetryPolicy } from "../../../src/config/model";
import { createMeshProxy } from "../../../src/services/local/mesh-proxy";
import { start } from "../helpers";

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxRetries: 3,
  perRetryTimeoutMs: 1000,
  httpRetryEvents: ["gateway-error"],
  tcpRetryEvents: ["connection-error"],
  backoff: { baseMs: 25, capMs: 250 },
  ...over,
});

function flaky(statuses: number[]) {
  let calls = 0;
  const server = createServer((_req, res) => {
    res.writeHead(statuses[Math.min(calls++, statuses.length - 1)]!).end("x");
  });
  return { server, calls: () => calls };
}

describe("local mesh stand-in", () => {
  it("retries gateway errors until one succeeds", async () => {
    const up = flaky([503, 502, 200]);
    const proxy = await start(createMeshProxy(new URL(await start(up.server)), policy(), 10_000));
    expect((await fetch(proxy)).status).toBe(200);
    expect(up.calls()).toBe(3);
  });

  it("stops after maxRetries and returns the last answer", async () => {
    const up = flaky([503]);
    const proxy = await start(createMeshProxy(new URL(await start(up.server)), policy({ maxRetries: 2 }), 10_000));
    expect((await fetch(proxy)).status).toBe(503);
    expect(up.calls()).toBe(3);
  });

  it("does not retry statuses outside its events", async () => {
    const up = flaky([500, 200]);
    const proxy = await start(createMeshProxy(new URL(await start(up.server)), policy(), 10_000));
    expect((await fetch(proxy)).status).toBe(500);
    expect(up.calls()).toBe(1);
  });

  it("gives up with 504 at the route's overall timeout, however many retries are left", async () => {
    const slow = createServer(() => {});
    const proxy = await start(createMeshProxy(new URL(await start(slow)), policy({ maxRetries: 12, perRetryTimeoutMs: 100 }), 250));
    const started = Date.now();
    expect((await fetch(proxy)).status).toBe(504);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
