/**
 * data-ingestion: validates telemetry, normalises it, stamps a request id and forwards it to data-processing,
 * passing on the tracing and fault-injection headers. Nothing is lost: a reading is processed (the answer is
 * passed back), refused with a 4xx (bad data is not retried), or dead-lettered with its reason (202 naming
 * the dead-letter id). Under Service Connect and VPC Lattice the retries are its own (shared/retrying-call.ts), and
 * under VPC Lattice every try is signed (its Upstream's signer, shared/signing.ts); under App Mesh, Envoy retries.
 */
import type { IncomingMessage, Server } from "node:http";
import type { CallPolicy } from "../shared/call-policy";
import { REAL_CLOCK } from "../shared/clock";
import type { DeadLetter, DeadLetterQueue } from "../shared/dead-letters/dead-letters";
import { parseTelemetry } from "../shared/ev";
import { createApp, type Logger, type Reply } from "../shared/http";
import type { RetryBudget } from "../shared/retry-budget";
import { type CallClock, type CallResult, callWithRetries, describeAttempt } from "../shared/retrying-call";
import type { Upstream } from "./upstream";

export const SERVICE = "data-ingestion";

/** Incoming headers passed on to data-processing (the request id is always sent). */
export const PROPAGATED_HEADERS = ["x-503", "x-amzn-trace-id", "traceparent", "tracestate", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled"];
/** What a dead letter keeps to send again: the tracing headers, not fault injection. */
const KEPT_HEADERS = PROPAGATED_HEADERS.filter((h) => h !== "x-503");
/** How long a client should wait before sending again when even the dead-letter queue failed. */
const RETRY_AFTER_S = 5;

/** data-processing's endpoint: DATA_PROCESSING_URL (as meshform sets it) plus /ev. */
export function processingUrl(env: NodeJS.ProcessEnv = process.env): URL {
  const base = env.DATA_PROCESSING_URL ?? (env.MESH_NAMESPACE && `http://data-processing.${env.MESH_NAMESPACE}:3000`);
  if (!base) throw new Error("set DATA_PROCESSING_URL (or MESH_NAMESPACE) to reach data-processing");
  return new URL("/ev", base);
}

function pick(req: IncomingMessage, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (typeof value === "string") out[name] = value;
  }
  return out;
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface Processing {
  upstream: Upstream;
  policy: CallPolicy;
  budget: RetryBudget;
  clock?: CallClock;
  /** Headers data-processing's test traffic and routes match (DATA_PROCESSING_FORWARD_HEADERS), passed on as well. */
  forwardHeaders?: readonly string[];
}

export interface IngestionOptions {
  log: Logger;
  processing: Processing;
  /** Where undeliverable readings go; without one, failures reach the client as 502, 503 or 504. */
  deadLetters?: DeadLetterQueue;
}

/** Why a call's result is not a delivery, or undefined when it is one (any status below 500). */
function failureOf(result: CallResult): { reason: string; detail: string } | undefined {
  if (result.kind === "answered") {
    return result.status < 500 ? undefined : { reason: "rejected", detail: `data-processing answered ${result.status}` };
  }
  const tries = `${result.attempts} ${result.attempts === 1 ? "try" : "tries"}`;
  const last = describeAttempt(result.last);
  const detail = {
    "retries-exhausted": `every try failed (${tries}); the last ${last}`,
    "not-retried": `the try failed and the retry policy does not retry it: ${last}`,
    deadline: `the deadline would pass before another try (${tries}); the last ${last}`,
    budget: `the retry budget is spent, data-processing is struggling (${tries}); the last ${last}`,
  }[result.reason];
  return { reason: result.reason, detail };
}

/** Without a dead-letter queue: what the client gets, as before there was one. */
function failureReply(result: CallResult): Reply {
  if (result.kind === "answered")
    return { status: result.status, body: { error: `data-processing answered ${result.status}`, upstream: parseOrText(result.text) } };
  const last = result.last;
  if (last.kind === "answer")
    return { status: last.status, body: { error: `data-processing answered ${last.status}`, upstream: parseOrText(last.text) } };
  const status = last.kind === "timeout" ? 504 : 502;
  return { status, body: { error: `data-processing ${describeAttempt(last)}` } };
}

export function createIngestionApp({ log, processing, deadLetters }: IngestionOptions): Server {
  const { upstream, policy, budget, clock = REAL_CLOCK } = processing;
  const passedOn = [...PROPAGATED_HEADERS, ...(processing.forwardHeaders ?? [])];
  const server = createApp(
    {
      "/health-check": { GET: () => ({ status: 200, body: { status: "ok", service: SERVICE } }) },
      "/ev": {
        POST: async ({ req, body, requestId }): Promise<Reply> => {
          const parsed = parseTelemetry(body);
          if (!parsed.ok) return { status: 400, body: { error: "invalid telemetry", problems: parsed.problems } };
          const reading = { ...parsed.value, timestamp: new Date(parsed.value.timestamp).toISOString() };
          const payload = JSON.stringify(reading);
          const headers = { ...pick(req, passedOn), "x-request-id": requestId };
          const result = await callWithRetries(
            (attempt, timeoutMs) => upstream.attempt(payload, { ...headers, "x-attempt-count": String(attempt) }, timeoutMs),
            policy,
            budget,
            clock,
          );
          const failure = failureOf(result);
          const logged = { attempts: result.attempts, ...(failure && { failure: failure.reason }) };
          if (!failure && result.kind === "answered") {
            if (result.status < 400) return { status: result.status, rawJson: result.text, log: logged };
            return {
              status: result.status,
              body: { error: `data-processing answered ${result.status}`, upstream: parseOrText(result.text) },
              log: logged,
            };
          }
          if (!deadLetters) return { ...failureReply(result), log: logged };
          const letter: DeadLetter = {
            target: "data-processing",
            requestId,
            reason: failure!.reason,
            detail: failure!.detail,
            attempts: result.attempts,
            failedAt: new Date().toISOString(),
            reading,
            headers: pick(req, KEPT_HEADERS),
          };
          try {
            const id = await deadLetters.send(letter);
            return {
              status: 202,
              body: {
                status: "dead-lettered",
                deadLetterId: id,
                requestId,
                reason: letter.reason,
                detail: letter.detail,
                attempts: letter.attempts,
              },
              log: { ...logged, deadLetterId: id },
            };
          } catch (err) {
            // Not delivered and not kept: the client must send it again, and is told so.
            return {
              status: 503,
              headers: { "retry-after": String(RETRY_AFTER_S) },
              body: { error: "the reading could not be delivered nor dead-lettered; send it again later", detail: letter.detail },
              log: { ...logged, deadLetterError: (err as Error).message },
            };
          }
        },
      },
    },
    log,
  );
  server.on("close", () => {
    void upstream.close();
    void deadLetters?.close();
  });
  return server;
}
