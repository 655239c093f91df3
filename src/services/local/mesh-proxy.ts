/**
 * A stand-in for Envoy on a laptop: forwards requests to one upstream and retries them the way an App Mesh
 * route's retry policy does (gateway-error = 502/503/504, connection-error = refused or reset), each try
 * bounded by the per-retry timeout and all of them by the route's overall timeout (then 504, as Envoy).
 * Used by `npm run services` so the retry story can be seen locally.
 */
import { createServer, request, type Server } from "node:http";
import type { RetryPolicy } from "../../config/model";
import type { Logger } from "../shared/http";

const GATEWAY_ERRORS = new Set([502, 503, 504]);

function retriable(policy: RetryPolicy, status: number): boolean {
  const events = policy.httpRetryEvents;
  return (
    (events.includes("gateway-error") && GATEWAY_ERRORS.has(status)) ||
    (events.includes("server-error") && status >= 500) ||
    (events.includes("client-error") && status === 409)
  );
}

type Attempt = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer } | { error: string };

function attempt(target: URL, method: string, headers: Record<string, unknown>, body: Buffer, timeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    const req = request(target, { method, headers: headers as Record<string, string> }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", (e) => resolve({ error: e.message }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error("per-try timeout")));
    req.on("error", (e) => resolve({ error: e.message }));
    req.end(body);
  });
}

export function createMeshProxy(upstream: URL, policy: RetryPolicy, routeTimeoutMs: number, log: Logger = () => {}): Server {
  return createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const target = new URL(req.url ?? "/", upstream);
    const headers = { ...req.headers, host: target.host };
    const deadline = Date.now() + routeTimeoutMs;
    let result: Attempt = { error: "no attempt" };
    for (let tryNo = 0; tryNo <= policy.maxRetries; tryNo++) {
      const left = deadline - Date.now();
      if (left <= 0) {
        res.writeHead(504, { "content-type": "text/plain" }).end("upstream request timeout");
        return;
      }
      result = await attempt(target, req.method ?? "GET", headers, Buffer.concat(chunks), Math.min(policy.perRetryTimeoutMs, left));
      const again = "error" in result ? policy.tcpRetryEvents.includes("connection-error") : retriable(policy, result.status);
      if (!again || tryNo === policy.maxRetries) break;
      log({ event: "retry", try: tryNo + 1, path: target.pathname, reason: "error" in result ? result.error : result.status });
    }
    if ("error" in result) {
      res.writeHead(503, { "content-type": "text/plain" }).end(`upstream connect error: ${result.error}`);
      return;
    }
    const { "content-length": _length, connection: _connection, ...passOn } = result.headers;
    res.writeHead(result.status, passOn).end(result.body);
  });
}
