/**
 * A stand-in for Envoy on a laptop, for `npm run services` under App Mesh: forwards to one upstream and
 * retries as an App Mesh route's retry policy makes Envoy retry, where it matters to what users see:
 * - events: gateway-error (502, 503, 504), server-error (5xx), client-error (409), connection-error
 *   (refused, reset); a try past the per-retry timeout counts as a 504, so gateway-error retries it;
 * - Envoy's default backoff: retry n waits a random time in [0, (2^n − 1) × 25 ms), at most 250 ms;
 * - `x-envoy-attempt-count` on every upstream request; the route's timeout bounds all tries (then 504).
 */
import { createServer, request, type Server } from "node:http";
import type { RetryPolicy } from "../../config/model";
import type { Logger } from "../shared/http";

/** Envoy's retry back-off: base interval 25 ms, maximum 10 × base. */
export const ENVOY_BACKOFF = { baseMs: 25, maxMs: 250 } as const;

/** Envoy's back-off before retry n (1-based): uniform in [0, (2^n − 1) × base), capped at the maximum. */
export const envoyBackoff = (retry: number, random: () => number = Math.random) =>
  Math.floor(random() * Math.min(ENVOY_BACKOFF.maxMs, (2 ** retry - 1) * ENVOY_BACKOFF.baseMs));

const GATEWAY_ERRORS = new Set([502, 503, 504]);

function retriable(policy: RetryPolicy, status: number): boolean {
  const events = policy.httpRetryEvents;
  return (
    (events.includes("gateway-error") && GATEWAY_ERRORS.has(status)) ||
    (events.includes("server-error") && status >= 500) ||
    (events.includes("client-error") && status === 409)
  );
}

type Try = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer } | { error: string } | { timeout: true };

function once(target: URL, method: string, headers: Record<string, unknown>, body: Buffer, timeoutMs: number): Promise<Try> {
  return new Promise((resolve) => {
    const req = request(target, { method, headers: headers as Record<string, string> }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", (e) => resolve({ error: e.message }));
    });
    req.setTimeout(timeoutMs, () => {
      resolve({ timeout: true });
      req.destroy();
    });
    req.on("error", (e) => resolve({ error: e.message }));
    req.end(body);
  });
}

export function createMeshProxy(
  upstream: URL,
  policy: RetryPolicy,
  routeTimeoutMs: number,
  log: Logger = () => {},
  random: () => number = Math.random,
): Server {
  return createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const target = new URL(req.url ?? "/", upstream);
    const deadline = Date.now() + routeTimeoutMs;
    let result: Try = { error: "no attempt" };
    for (let attempt = 1; attempt <= policy.maxRetries + 1; attempt++) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const headers = { ...req.headers, host: target.host, "x-envoy-attempt-count": String(attempt) };
      result = await once(target, req.method ?? "GET", headers, Buffer.concat(chunks), Math.min(policy.perRetryTimeoutMs, left));
      const again =
        "timeout" in result
          ? retriable(policy, 504)
          : "error" in result
            ? policy.tcpRetryEvents.includes("connection-error")
            : retriable(policy, result.status);
      if (!again || attempt > policy.maxRetries) break;
      const pause = envoyBackoff(attempt, random);
      if (Date.now() + pause >= deadline) break;
      log({
        event: "retry",
        attempt,
        path: target.pathname,
        reason: "timeout" in result ? "per-try timeout" : "error" in result ? result.error : result.status,
        backoffMs: pause,
      });
      await new Promise((r) => setTimeout(r, pause));
    }
    if (Date.now() >= deadline || "timeout" in result) {
      res.writeHead(504, { "content-type": "text/plain" }).end("upstream request timeout");
      return;
    }
    if ("error" in result) {
      res
        .writeHead(503, { "content-type": "text/plain" })
        .end(`upstream connect error or disconnect/reset before headers: ${result.error}`);
      return;
    }
    const { "content-length": _length, connection: _connection, ...passOn } = result.headers;
    res.writeHead(result.status, passOn).end(result.body);
  });
}
