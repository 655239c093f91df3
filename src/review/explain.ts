/**
 * `npm run explain`: for each call path (caller → backend), the arithmetic of its retries and timeouts: how
 * many tries can really happen, what bounds each, the worst case a client of the caller sees, and which limit
 * cuts the retries short (with the field to change). A backend that is not HTTP says its protocol; a TCP one
 * carries connections, not requests, so the mesh neither times nor retries them. Under a provider without listener
 * timeouts (VPC Lattice) the caller's deadline is the only bound. Pure: a resolved environment in, lines out.
 */

import { formatDuration } from "../config/duration";
import type { Protocol, ResolvedBackend, ResolvedEnvironment, ResolvedService } from "../config/model";
import { dashboardUrl } from "../config/operate-model";
import { providerOf } from "../providers";
import type { ProviderId } from "../providers/provider";

export interface CallPath {
  caller: string;
  backend: string;
  /** What the backend speaks: over tcp the mesh sees connections, not requests. */
  protocol: Protocol;
  provider: ProviderId;
  /** Who retries: the provider's proxy (App Mesh's Envoy), the caller's own code (Service Connect), or nobody. */
  retriedBy: "proxy" | "caller" | "none";
  /** Tries the policy allows (1 + maxRetries). */
  allowedTries: number;
  /** Bound of one try. */
  perTryMs: number;
  /** Tries whose full per-try timeout fits in the route's timeout. */
  triesThatFit: number;
  /** The longest pause between two tries, and all of them together at most. */
  backoff: { maxPauseMs: number; totalMaxMs: number; what: string };
  routeTimeoutMs: number;
  /** The listeners' per-request timeouts; none where the provider has no listener timeouts (VPC Lattice). */
  callerListenerMs?: number;
  backendListenerMs?: number;
  /** The longest a client of the caller waits for this call: the route's timeout, or the caller's listener if shorter. */
  worstCaseMs: number;
  /** How much the tries and the longest pauses together need beyond the route's timeout (0: they fit). */
  squeezeMs: number;
  /** Tries that still run whole when every pause is the longest (the next one, if any, is cut short). */
  wholeTries: number;
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
  const retries = providerOf(provider).retries;
  const retriedBy = !b.retryPolicy ? "none" : retries.by;
  const pauses = allowed - 1;
  const cap = retries.by === "proxy" ? retries.backoffCapMs : (b.retryPolicy?.backoff.capMs ?? 0);
  const backoff = {
    maxPauseMs: pauses > 0 ? cap : 0,
    totalMaxMs: pauses * cap,
    what:
      retriedBy === "none"
        ? "none"
        : retries.by === "proxy"
          ? retries.backoff
          : `full-jitter backoff, up to ${formatDuration(cap)} a pause`,
  };
  const triesThatFit = Math.max(1, Math.min(allowed, Math.floor(b.timeoutMs / perTryMs)));
  // Without listener timeouts on the path (VPC Lattice), the caller's deadline is the only bound.
  const listeners = providerOf(provider).supports("listenerTimeouts");
  const [callerListenerMs, backendListenerMs] = listeners ? [caller.requestTimeoutMs, backend.requestTimeoutMs] : [undefined, undefined];
  const worstCaseMs = Math.min(b.timeoutMs, callerListenerMs ?? Number.POSITIVE_INFINITY);
  // Tries and pauses share the route's timeout: what they need beyond it comes off the last tries.
  const squeezeMs = Math.max(0, triesThatFit * perTryMs + Math.max(0, triesThatFit - 1) * backoff.maxPauseMs - b.timeoutMs);
  const wholeTries =
    squeezeMs === 0
      ? triesThatFit
      : Math.max(1, Math.min(triesThatFit, Math.floor((b.timeoutMs + backoff.maxPauseMs) / (perTryMs + backoff.maxPauseMs))));
  const path: CallPath = {
    caller: caller.name,
    backend: b.service,
    protocol: b.protocol,
    provider,
    retriedBy,
    allowedTries: allowed,
    perTryMs,
    triesThatFit,
    backoff,
    routeTimeoutMs: b.timeoutMs,
    ...(callerListenerMs !== undefined && { callerListenerMs }),
    ...(backendListenerMs !== undefined && { backendListenerMs }),
    worstCaseMs,
    squeezeMs,
    wholeTries,
  };
  if (b.protocol === "tcp") return { ...path, retriedBy: "none", worstCaseMs: caller.requestTimeoutMs };
  const routeField = backend.routes.length > 1 || backend.routes[0]?.name !== undefined ? "routes[].timeout" : "route.timeout";
  // The tightest bound wins: the caller's listener, then the route's timeout, then the backend's listener per try.
  if (callerListenerMs !== undefined && callerListenerMs < b.timeoutMs) {
    path.limit = {
      what: `${caller.name}'s listener timeout (${formatDuration(callerListenerMs)}) ends the call before the route's ${formatDuration(b.timeoutMs)}`,
      field: `services.${caller.name}.timeout`,
    };
  } else if (triesThatFit < allowed) {
    path.limit = {
      what: `the route's timeout (${formatDuration(b.timeoutMs)}) fits ${triesThatFit} of ${allowed} tries of ${formatDuration(perTryMs)}`,
      field: `services.${b.service}.${routeField}`,
    };
  } else if (backendListenerMs !== undefined && backendListenerMs < perTryMs) {
    path.limit = {
      what: `${b.service}'s listener timeout (${formatDuration(backendListenerMs)}) ends each try before its ${formatDuration(perTryMs)}`,
      field: `services.${b.service}.timeout`,
    };
  } else if (squeezeMs > 0) {
    // Every try fits without pauses, not with them: the route's timeout is what cuts the last ones short.
    path.limit = {
      what: `the route's timeout (${formatDuration(b.timeoutMs)}) leaves no room for the backoff's pauses (up to ${formatDuration(backoff.maxPauseMs)} each): ${squeezeText(path)}`,
      field: `services.${b.service}.${routeField}`,
    };
  }
  return path;
}

export function callPaths(env: ResolvedEnvironment, service?: string): CallPath[] {
  return env.services.filter((s) => service === undefined || s.name === service).flatMap((s) => s.backends.map((b) => callPath(env, s, b)));
}

/** What the longest pauses do to the tries: the last one cut short, or fewer run whole and the rest never start. */
function squeezeText(p: CallPath): string {
  const left = p.routeTimeoutMs - p.wholeTries * (p.perTryMs + p.backoff.maxPauseMs);
  if (p.wholeTries === p.triesThatFit - 1 && left > 0) return `the last try may be cut short by up to ${formatDuration(p.squeezeMs)}`;
  const cut = left > 0 ? 1 : 0;
  const never = p.triesThatFit - p.wholeTries - cut;
  return [
    `with the longest pauses ${p.wholeTries} of ${p.triesThatFit} tries run whole`,
    cut > 0 && "the next is cut short",
    never > 0 && (never === 1 ? "the last never starts" : `the last ${never} never start`),
  ]
    .filter(Boolean)
    .join(", ");
}

/** `### caller → backend`, with the backend's protocol unless it is HTTP. */
const heading = (p: CallPath) => `### ${p.caller} → ${p.backend}${p.protocol === "http" ? "" : ` (${p.protocol})`}`;

/** A call path to a TCP backend: connections the mesh passes on, which the caller's driver times and retries. */
function renderTcpPath(p: CallPath): string[] {
  const provider = providerOf(p.provider);
  return [
    heading(p),
    "",
    `- journey: ${p.caller} → ${provider.displayName}'s proxies → ${p.backend}, a TCP connection: no requests for the mesh to time or retry`,
    `- tries: what ${p.caller}'s own driver makes them; it bounds each call and reconnects when a connection drops`,
    `- worst case for a client of ${p.caller}: ${formatDuration(p.worstCaseMs)} (${p.caller}'s listener)`,
    "- limit: none the mesh sets",
  ];
}

/** One call path as Markdown lines a reviewer can check by hand. */
export function renderCallPath(p: CallPath): string[] {
  if (p.protocol === "tcp") return renderTcpPath(p);
  const d = formatDuration;
  const provider = providerOf(p.provider);
  const journey = provider.journey({
    caller: p.caller,
    backend: p.backend,
    routeTimeoutMs: p.routeTimeoutMs,
    backendTimeoutMs: p.backendListenerMs ?? 0,
    retried: p.retriedBy !== "none",
  });
  const retries = p.allowedTries - 1;
  const cut = p.squeezeMs === 0 ? "" : `, so ${squeezeText(p)}`;
  const lines = [
    heading(p),
    "",
    `- journey: ${journey}`,
    `- tries: ${p.allowedTries} (1 + ${retries} ${retries === 1 ? "retry" : "retries"}) of ${d(p.perTryMs)} each = ${d(p.allowedTries * p.perTryMs)}; ${p.triesThatFit} fit in the route's ${d(p.routeTimeoutMs)}` +
      (p.retriedBy === "none" ? " (no retry policy: one try)" : ` (retried by ${provider.retries.who})`),
    `- backoff: ${p.backoff.what}${p.backoff.totalMaxMs > 0 ? `; at most ${d(p.backoff.totalMaxMs)} in all${p.squeezeMs > 0 ? `, inside the same ${d(p.routeTimeoutMs)}${cut}` : ""}` : ""}`,
    p.callerListenerMs !== undefined && p.backendListenerMs !== undefined
      ? `- timeouts on the path: ${p.caller}'s listener ${d(p.callerListenerMs)}, the route ${d(p.routeTimeoutMs)}, ${p.backend}'s listener ${d(p.backendListenerMs)}`
      : `- timeouts on the path: the route ${d(p.routeTimeoutMs)}, which ${p.caller} enforces as its deadline; ${provider.displayName} has no listener timeout`,
    `- worst case for a client of ${p.caller}: ${d(p.worstCaseMs)}`,
    p.limit ? `- limit: ${p.limit.what}; change ${p.limit.field}` : "- limit: none; every try the policy allows fits",
  ];
  return lines;
}

export function renderExplain(env: ResolvedEnvironment, service?: string): string {
  const paths = callPaths(env, service);
  if (paths.length === 0) return `## ${env.name}\n\nNo call paths${service ? ` from ${service}` : ""}: no service has backends.\n`;
  return [
    `## ${env.name}: retries and timeouts (${providerOf(env.mesh.provider).displayName})`,
    "",
    // Where to watch them once deployed (the console URL's form is unverified: AWS documents none).
    ...(env.dashboard ? [`Dashboard: ${dashboardUrl(env)}`, ""] : []),
    ...paths.flatMap((p) => [...renderCallPath(p), ""]),
  ].join("\n");
}
