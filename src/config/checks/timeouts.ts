/**
 * The timeouts along the path a request takes, caller → route (tries, per-try timeout, overall timeout) →
 * backend, must let the retry policy run. Each finding is a warning at the field to change.
 */
import type { Diagnostic } from "../diagnostics";
import { formatDuration } from "../duration";
import { type Check, servicesOf } from "./check";

/** Envoy's default per-request timeout; App Mesh asks for larger ones to be set on every node of the path. */
const DEFAULT_TIMEOUT_MS = 15_000;

export const requestPath: Check = (parts, source) => {
  const services = servicesOf(parts);
  const out: Diagnostic[] = [];
  for (const [backend, b] of services) {
    const routeTimeout = b.route?.timeout;
    if (routeTimeout === undefined) continue;
    const policy = b.route?.retryPolicy;
    const full = policy?.maxRetries !== undefined && policy.perRetryTimeout !== undefined;
    if (full) {
      const needed = (policy.maxRetries! + 1) * policy.perRetryTimeout!;
      if (needed > routeTimeout) {
        const tries = Math.max(1, Math.floor(routeTimeout / policy.perRetryTimeout!));
        const msg =
          `${policy.maxRetries} retries of ${formatDuration(policy.perRetryTimeout!)} plus the first try need up to ${formatDuration(needed)}, ` +
          `but route.timeout is ${formatDuration(routeTimeout)}, so at most ${tries} ${tries === 1 ? "try fits" : "tries fit"}; ` +
          `raise route.timeout to ${formatDuration(needed)} or lower maxRetries`;
        out.push(source.diagnostic(["services", backend, "route", "retryPolicy"], msg, "warning"));
      }
    }
    // Each try reaches the backend's listener, whose per-request timeout bounds it; App Mesh documents that a
    // route timeout above its 15s default must be set on the destination node's listener as well.
    const perTry = full ? Math.min(policy.perRetryTimeout!, routeTimeout) : routeTimeout;
    const needed = routeTimeout > DEFAULT_TIMEOUT_MS ? routeTimeout : perTry;
    if (b.timeout !== undefined && b.timeout < needed) {
      const why =
        needed === perTry
          ? full
            ? `each try of its route may take ${formatDuration(perTry)} (retryPolicy.perRetryTimeout)`
            : `its route allows ${formatDuration(perTry)} (route.timeout)`
          : `its route.timeout is ${formatDuration(routeTimeout)}, and App Mesh requires a timeout above 15s to be set on the destination node's listener too`;
      const msg = `${formatDuration(b.timeout)} is shorter than requests to ${backend} may take: ${why}; raise it to at least ${formatDuration(needed)}`;
      out.push(source.diagnostic(["services", backend, "timeout"], msg, "warning"));
    }
    // A caller's own listener bounds the whole request its clients make, backend calls and retries included.
    for (const [caller, c] of services) {
      if (!c.backends?.includes(backend) || c.timeout === undefined || c.timeout >= routeTimeout) continue;
      const aws = routeTimeout > DEFAULT_TIMEOUT_MS ? " (App Mesh requires a timeout above 15s to be set on the source node's listener too)" : "";
      const msg =
        `${formatDuration(c.timeout)} ends ${caller}'s requests before its call to ${backend} can finish: that call may take up to ` +
        `${formatDuration(routeTimeout)} (${backend}'s route.timeout, retries included), so ${caller}'s clients get a 504 first; ` +
        `raise it to at least ${formatDuration(routeTimeout)}${aws}`;
      out.push(source.diagnostic(["services", caller, "timeout"], msg, "warning"));
    }
  }
  return out;
};
