/**
 * A stand-in for Envoy on a laptop, for `npm run services` under App Mesh: forwards to one upstream and
 * retries as an App Mesh route's retry policy makes Envoy retry, where it matters to what users see:
 * - events: gateway-error (502, 503, 504), server-error (5xx), client-error (409), connection-error
 *   (refused, reset); a try past the per-retry timeout counts as a 504, so gateway-error retries it;
 * - Envoy's default backoff: retry n waits a random time in [0, (2^n − 1) × 25 ms), at most 250 ms;
 * - `x-envoy-attempt-count` on every upstream request; the route's timeout bounds all tries (then 504).
 * Time and jitter come from a Clock, so tests run it on a fake one.
 */
import { createServer, type Server } from "node:http";
import type { RetryPolicy } from "../../config/model";
import { type Clock, REAL_CLOCK } from "../shared/clock";
import type { Logger } from "../shared/http";
import { passOn, type Sent, send } from "./send";

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

type Try = Sent | { timeout: true };

/** One try: the answer, whole, within `timeoutMs`, or a timeout (the request is then abandoned). */
async function once(target: URL, method: string, headers: Record<string, unknown>, body: Buffer, timeoutMs: number, clock: Clock) {
  const done = new AbortController();
  try {
    return await Promise.race([
      send(target, method, headers, body, done.signal),
      clock.timeout(timeoutMs, done.signal).then((): Try => ({ timeout: true })),
    ]);
  } finally {
    done.abort(); // whichever lost: the request abandoned, or the timer cleared
  }
}

export function createMeshProxy(
  upstream: URL,
  policy: RetryPolicy,
  routeTimeoutMs: number,
  log: Logger = () => {},
  clock: Clock = REAL_CLOCK,
): Server {
  return createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const target = new URL(req.url ?? "/", upstream);
    const deadline = clock.now() + routeTimeoutMs;
    let result: Try = { error: "no attempt" };
    for (let attempt = 1; attempt <= policy.maxRetries + 1; attempt++) {
      const left = deadline - clock.now();
      if (left <= 0) break;
      const headers = { ...req.headers, host: target.host, "x-envoy-attempt-count": String(attempt) };
      result = await once(target, req.method ?? "GET", headers, Buffer.concat(chunks), Math.min(policy.perRetryTimeoutMs, left), clock);
      const again =
        "timeout" in result
          ? retriable(policy, 504)
          : "error" in result
            ? policy.tcpRetryEvents.includes("connection-error")
            : retriable(policy, result.status);
      if (!again || attempt > policy.maxRetries) break;
      const pause = envoyBackoff(attempt, clock.random);
      if (clock.now() + pause >= deadline) break;
      log({
        event: "retry",
        attempt,
        path: target.pathname,
        reason: "timeout" in result ? "per-try timeout" : "error" in result ? result.error : result.status,
        backoffMs: pause,
      });
      await clock.sleep(pause);
    }
    if (clock.now() >= deadline || "timeout" in result) {
      res.writeHead(504, { "content-type": "text/plain" }).end("upstream request timeout");
      return;
    }
    if ("error" in result) {
      res
        .writeHead(503, { "content-type": "text/plain" })
        .end(`upstream connect error or disconnect/reset before headers: ${result.error}`);
      return;
    }
    const [status, headers, body] = passOn(result);
    res.writeHead(status, headers).end(body);
  });
}
