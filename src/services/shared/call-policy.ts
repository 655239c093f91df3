/**
 * How a caller calls one backend, from the variables meshform sets (src/config/app-environment.ts): the
 * deadline of the whole call (the backend's route timeout) under every provider, and under Service Connect and VPC
 * Lattice the route's retry policy, which the caller then enforces itself. Without retry variables the caller tries
 * once: under App Mesh, Envoy retries, and a second layer of retries would multiply the load.
 */
import { backendVariables, retryVariables } from "../../config/app-environment";

/** App Mesh's retry events, with the same meaning when the caller retries. */
export const RETRY_EVENTS = ["gateway-error", "server-error", "client-error", "stream-error", "connection-error"] as const;
export type RetryEvent = (typeof RETRY_EVENTS)[number];

export interface CallPolicy {
  /** Whole-call bound, every try and pause included. */
  deadlineMs: number;
  /** Tries after the first. */
  maxRetries: number;
  /** Bound of each try (at most what is left of the deadline). */
  perTryTimeoutMs: number;
  retryOn: ReadonlySet<RetryEvent>;
  /** Full jitter: before retry n, a random pause up to min(capMs, baseMs × 2^n). */
  backoff: { baseMs: number; capMs: number };
}

/** What a call gets when nothing is set: one try bounded by data-ingestion's historical 70 s. */
export const DEFAULT_DEADLINE_MS = 70_000;
export const DEFAULT_BACKOFF = { baseMs: 100, capMs: 2_000 } as const;

export class PolicyError extends Error {}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new PolicyError(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(text)}`);
  return value;
}

export function callPolicyFromEnv(backend: string, env: NodeJS.ProcessEnv = process.env): CallPolicy {
  const v = retryVariables(backend);
  const deadlineMs = number(env, backendVariables(backend).timeout, number(env, "UPSTREAM_TIMEOUT_MS", DEFAULT_DEADLINE_MS, 1), 1);
  const events = (env[v.retryOn] ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of events)
    if (!(RETRY_EVENTS as readonly string[]).includes(e))
      throw new PolicyError(`${v.retryOn} names an unknown event "${e}"; events: ${RETRY_EVENTS.join(", ")}`);
  return {
    deadlineMs,
    maxRetries: number(env, v.maxRetries, 0),
    perTryTimeoutMs: Math.min(number(env, v.perTryTimeout, deadlineMs, 1), deadlineMs),
    retryOn: new Set(events as RetryEvent[]),
    backoff: { baseMs: number(env, v.backoffBase, DEFAULT_BACKOFF.baseMs, 1), capMs: number(env, v.backoffCap, DEFAULT_BACKOFF.capMs, 1) },
  };
}

/** The outcome of one try. */
export type Attempt =
  | { kind: "answer"; status: number; headers: Record<string, string | string[] | undefined>; text: string }
  | { kind: "timeout" }
  | { kind: "connection"; code: string };

const GATEWAY = new Set([502, 503, 504]);

/**
 * Whether `policy` retries this outcome: gateway-error is 502, 503, 504 or a try that ran out of time (a 504,
 * as Envoy counts it); server-error any 5xx or a timeout; client-error 409; connection-error a refused or
 * reset connection or a timeout; stream-error a reset stream.
 */
export function retryable(attempt: Attempt, retryOn: ReadonlySet<RetryEvent>): boolean {
  switch (attempt.kind) {
    case "answer":
      return (
        (retryOn.has("gateway-error") && GATEWAY.has(attempt.status)) ||
        (retryOn.has("server-error") && attempt.status >= 500) ||
        (retryOn.has("client-error") && attempt.status === 409)
      );
    case "timeout":
      return retryOn.has("gateway-error") || retryOn.has("server-error") || retryOn.has("connection-error");
    case "connection":
      return retryOn.has("connection-error") || retryOn.has("stream-error");
  }
}

/** The request headers a caller passes on to `backend` (`<BACKEND>_FORWARD_HEADERS`, as meshform sets it), lower-case. */
export function forwardHeadersFromEnv(backend: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env[backendVariables(backend).forwardHeaders] ?? "";
  return raw
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
}
