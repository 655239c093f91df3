/**
 * data-ingestion: validates telemetry, normalises it, stamps a request id and forwards it to
 * data-processing through the mesh, passing on the tracing and fault-injection headers.
 */
import type { IncomingMessage, Server } from "node:http";
import { parseTelemetry } from "../shared/ev";
import { createApp, type Logger, type Reply } from "../shared/http";
import { Upstream, UpstreamError } from "./upstream";

export const SERVICE = "data-ingestion";

/** Incoming headers passed on to data-processing (the request id is always sent). */
export const PROPAGATED_HEADERS = ["x-503", "x-amzn-trace-id", "traceparent", "tracestate", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled"];

/** data-processing's endpoint: DATA_PROCESSING_URL (as meshform sets it) plus /ev. */
export function processingUrl(env: NodeJS.ProcessEnv = process.env): URL {
  const base = env.DATA_PROCESSING_URL ?? (env.MESH_NAMESPACE && `http://data-processing.${env.MESH_NAMESPACE}:3000`);
  if (!base) throw new Error("set DATA_PROCESSING_URL (or MESH_NAMESPACE) to reach data-processing");
  return new URL("/ev", base);
}

function forwardedHeaders(req: IncomingMessage, requestId: string): Record<string, string> {
  const headers: Record<string, string> = { "x-request-id": requestId };
  for (const name of PROPAGATED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  return headers;
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createIngestionApp({ log, upstream }: { log: Logger; upstream: Upstream }): Server {
  const server = createApp(
    {
      "/health-check": { GET: () => ({ status: 200, body: { status: "ok", service: SERVICE } }) },
      "/ev": {
        POST: async ({ req, body, requestId }): Promise<Reply> => {
          const parsed = parseTelemetry(body);
          if (!parsed.ok) return { status: 400, body: { error: "invalid telemetry", problems: parsed.problems } };
          const normalised = { ...parsed.value, timestamp: new Date(parsed.value.timestamp).toISOString() };
          try {
            const answer = await upstream.post(JSON.stringify(normalised), forwardedHeaders(req, requestId));
            if (answer.status < 400) return { status: answer.status, rawJson: answer.text };
            return {
              status: answer.status,
              body: { error: `data-processing answered ${answer.status}`, upstream: parseOrText(answer.text) },
              log: { upstreamStatus: answer.status },
            };
          } catch (err) {
            if (!(err instanceof UpstreamError)) throw err;
            return { status: err.status, body: { error: `data-processing ${err.message}` }, log: { upstreamError: err.message } };
          }
        },
      },
    },
    log,
  );
  server.on("close", () => upstream.close());
  return server;
}
