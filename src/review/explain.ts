/**
 * `npm run explain`: for each call path (caller → backend), the arithmetic of its retries and timeouts: how
 * many tries can really happen, what bounds each, the worst case a client of the caller sees, and which limit
 * cuts the retries short (with the field to change). Pure: a resolved environment in, lines out.
 */
import { formatDuration } from "../config/duration";
import type { ResolvedBackend, ResolvedEnvironment, ResolvedService } from "../config/model";

/** Envoy's default retry backoff (App Mesh cannot change it): base 25 ms, at most 250 ms per pause. */
const ENVOY_BACKOFF_CAP_MS = 250;

export interface CallPath {
  caller: string;
  backend: string;
  provider: ResolvedEnvironment["mesh"]["provider"];
  /** Who retries: the caller's Envoy (App Mesh), the caller's own code (Service Connect), or nobody. */
  retriedBy: "envoy" | "caller" | "none";
  /** Tries the policy allows (1 + maxRetries). */
  allowedTries: number;
  /** Bound of one try. */
  perTryMs: number;
  /** Tries whose full per-try timeout fits in the route's timeout. */
  triesThatFit: number;
  /** The longest pause between two tries, and all of them together at most. */
  backoff: { maxPauseMs: number; totalMaxMs: number; what: string };
  routeTimeoutMs: number;
  callerListenerMs: number;
  backendListenerMs: number;
  /** The longest a client of the caller waits for this call: the route's timeout, or the caller's listener if shorter. */
  worstCaseMs: number;
  /** What cuts the tries short, if anything, and the field to change. */
  limit?: { what: string; field: string };
}

function tries(b: ResolvedBackend): { allowed: number; perTryMs: number } {
  const p = b.retryPolicy;
  return p ? { allowed: p.maxRetries + 1, perTryMs: Math.min(p.perRetryTimeoutMs, b.timeoutMs) } : { allowed: 1, perTryMs: b.timeoutMs };
}

export function callPath(env: ResolvedEnvironment, caller: ResolvedService, b: ResolvedBackend): CallPath {
  const backend = env.services.find((s) => s.name === b.service)!;
  const { allowed, perTryMs } = tries(b);
  const provider = env.mesh.provider;
  const retriedBy = !b.retryPolicy ? "none" : provider === "appmesh" ? "envoy" : "caller";
  const pauses = allowed - 1;
  const cap = retriedBy === "envoy" ? ENVOY_BACKOFF_CAP_MS : (b.retryPolicy?.backoff.capMs ?? 0);
  const backoff = {
    maxPauseMs: pauses > 0 ? cap : 0,
    totalMaxMs: pauses * cap,
    what:
      retriedBy === "envoy"
        ? "Envoy's backoff, up to 250ms a pause"
        : retriedBy === "caller"
          ? `full-jitter backoff, up to ${formatDuration(cap)} a pause`
          : "none",
  };
  const triesThatFit = Math.max(1, Math.min(allowed, Math.floor(b.timeoutMs / perTryMs)));
  const worstCaseMs = Math.min(b.timeoutMs, caller.listenerTimeoutMs);
  const path: CallPath = {
    caller: caller.name,
    backend: b.service,
    provider,
    retriedBy,
    allowedTries: allowed,
    perTryMs,
    triesThatFit,
    backoff,
    routeTimeoutMs: b.timeoutMs,
    callerListenerMs: caller.listenerTimeoutMs,
    backendListenerMs: backend.listenerTimeoutMs,
    worstCaseMs,
  };
  const routeField = backend.routes.length > 1 || backend.routes[0]?.name !== undefined ? "routes[].timeout" : "route.timeout";
  // The tightest bound wins: the caller's listener, then the route's timeout, then the backend's listener per try.
  if (caller.listenerTimeoutMs < b.timeoutMs) {
    path.limit = {
      what: `${caller.name}'s listener timeout (${formatDuration(caller.listenerTimeoutMs)}) ends the call before the route's ${formatDuration(b.timeoutMs)}`,
      field: `services.${caller.name}.timeout`,
    };
  } else if (triesThatFit < allowed) {
    path.limit = {
      what: `the route's timeout (${formatDuration(b.timeoutMs)}) fits ${triesThatFit} of ${allowed} tries of ${formatDuration(perTryMs)}`,
      field: `services.${b.service}.${routeField}`,
    };
  } else if (backend.listenerTimeoutMs < perTryMs) {
    path.limit = {
      what: `${b.service}'s listener timeout (${formatDuration(backend.listenerTimeoutMs)}) ends each try before its ${formatDuration(perTryMs)}`,
      field: `services.${b.service}.timeout`,
    };
  }
  return path;
}

export function callPaths(env: ResolvedEnvironment, service?: string): CallPath[] {
  return env.services.filter((s) => service === undefined || s.name === service).flatMap((s) => s.backends.map((b) => callPath(env, s, b)));
}

/** One call path as Markdown lines a reviewer can check by hand. */
export function renderCallPath(p: CallPath): string[] {
  const d = formatDuration;
  const journey =
    p.provider === "appmesh"
      ? `${p.caller} → its Envoy → ${p.backend}'s route (timeout ${d(p.routeTimeoutMs)}${p.retriedBy === "envoy" ? ", retries" : ""}) → ${p.backend}'s listener (timeout ${d(p.backendListenerMs)})`
      : `${p.caller}'s code (deadline ${d(p.routeTimeoutMs)}${p.retriedBy === "caller" ? ", retries" : ""}) → Service Connect proxy → ${p.backend} (per-request timeout ${d(p.backendListenerMs)})`;
  const retries = p.allowedTries - 1;
  // Tries and pauses share the route's timeout: what they need beyond it comes off the last try.
  const squeezed = Math.max(0, Math.min(p.triesThatFit, p.allowedTries) * p.perTryMs + p.backoff.totalMaxMs - p.routeTimeoutMs);
  const lines = [
    `### ${p.caller} → ${p.backend}`,
    "",
    `- journey: ${journey}`,
    `- tries: ${p.allowedTries} (1 + ${retries} ${retries === 1 ? "retry" : "retries"}) of ${d(p.perTryMs)} each = ${d(p.allowedTries * p.perTryMs)}; ${p.triesThatFit} fit in the route's ${d(p.routeTimeoutMs)}` +
      (p.retriedBy === "none"
        ? " (no retry policy: one try)"
        : ` (retried by ${p.retriedBy === "envoy" ? "the caller's Envoy" : "the caller"})`),
    `- backoff: ${p.backoff.what}${p.backoff.totalMaxMs > 0 ? `; at most ${d(p.backoff.totalMaxMs)} in all${squeezed > 0 ? `, inside the same ${d(p.routeTimeoutMs)}, so the last try may be cut short by up to ${d(squeezed)}` : ""}` : ""}`,
    `- timeouts on the path: ${p.caller}'s listener ${d(p.callerListenerMs)}, the route ${d(p.routeTimeoutMs)}, ${p.backend}'s listener ${d(p.backendListenerMs)}`,
    `- worst case for a client of ${p.caller}: ${d(p.worstCaseMs)}`,
    p.limit ? `- limit: ${p.limit.what}; change ${p.limit.field}` : "- limit: none; every try the policy allows fits",
  ];
  return lines;
}

export function renderExplain(env: ResolvedEnvironment, service?: string): string {
  const paths = callPaths(env, service);
  if (paths.length === 0) return `## ${env.name}\n\nNo call paths${service ? ` from ${service}` : ""}: no service has backends.\n`;
  return [
    `## ${env.name}: retries and timeouts (${env.mesh.provider === "appmesh" ? "App Mesh" : "Service Connect"})`,
    "",
    ...paths.flatMap((p) => [...renderCallPath(p), ""]),
  ].join("\n");
}
