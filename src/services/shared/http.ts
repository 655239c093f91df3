/**
 * The small HTTP toolkit both services share: routing by method and path, JSON bodies with a size limit
 * and content-type check, one structured log line per request, and graceful shutdown.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export const MAX_BODY_BYTES = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export interface Reply {
  status: number;
  body?: unknown;
  /** A body already serialized as JSON, sent as it is (e.g. an upstream's answer passed through). */
  rawJson?: string;
  headers?: Record<string, string>;
  /** Extra fields for this request's log line (e.g. an injected fault). */
  log?: Record<string, unknown>;
}

export interface RequestContext {
  req: IncomingMessage;
  requestId: string;
  /** The parsed JSON body (POST routes only). */
  body: unknown;
}

export type Handler = (ctx: RequestContext) => Promise<Reply> | Reply;
export type Routes = Record<string, Partial<Record<"GET" | "POST", Handler>>>;

export type Logger = (entry: Record<string, unknown>) => void;
export const jsonLogger =
  (service: string, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger =>
  (entry) =>
    write(JSON.stringify({ time: new Date().toISOString(), service, ...entry }));

/** Reads a JSON body: 415 unless it is JSON, 413 past the limit, 400 when it does not parse. */
export async function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new HttpError(415, "content-type must be application/json");
  if (Number(req.headers["content-length"] ?? 0) > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new HttpError(413, `body larger than ${limit} bytes`));
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "body is not valid JSON");
  }
}

function send(res: ServerResponse, reply: Reply, requestId: string, draining: boolean): void {
  const payload = reply.rawJson ?? JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(draining && { connection: "close" }),
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "x-request-id": requestId,
    ...reply.headers,
  });
  res.end(payload);
}

export function requestIdOf(req: IncomingMessage): string | undefined {
  const id = req.headers["x-request-id"];
  return typeof id === "string" && id.length > 0 ? id : undefined;
}

/** An HTTP server dispatching `routes`, answering 404/405 itself and logging one JSON line per request. */
export function createApp(routes: Routes, log: Logger): Server {
  const server = createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const path = (req.url ?? "/").split("?")[0]!;
    const requestId = requestIdOf(req) ?? randomUUID();
    let reply: Reply;
    try {
      const route = routes[path];
      const handler = route?.[req.method as "GET" | "POST"];
      if (!route) throw new HttpError(404, `no route for ${path}`);
      if (!handler) throw new HttpError(405, `${req.method} not allowed on ${path}`, { allow: Object.keys(route).join(", ") });
      const body = req.method === "POST" ? await readJson(req) : undefined;
      reply = await handler({ req, requestId, body });
    } catch (err) {
      reply = errorReply(err);
    }
    send(res, reply, requestId, !server.listening);
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    log({ method: req.method, path, status: reply.status, durationMs: Math.round(durationMs * 1000) / 1000, requestId, ...reply.log });
  });
  server.keepAliveTimeout = 65_000; // longer than a load balancer's or Envoy's idle timeout
  return server;
}

function errorReply(err: unknown): Reply {
  if (err instanceof HttpError) return { status: err.status, body: { error: err.message }, ...(err.headers && { headers: err.headers }) };
  return { status: 500, body: { error: "internal error" }, log: { error: String((err as Error)?.message ?? err) } };
}

/**
 * On SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close idle keep-alive connections,
 * and exit; past `timeoutMs`, close what is left and exit anyway.
 */
export function drainOnSignals(server: Server, log: Logger, timeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000)): void {
  const stop = (signal: string) => {
    log({ event: "shutdown", signal });
    const force = setTimeout(() => {
      server.closeAllConnections();
      process.exit(1);
    }, timeoutMs);
    force.unref();
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

export const appPort = () => Number(process.env.APP_PORT ?? 3000);
