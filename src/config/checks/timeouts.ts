/**
 * The timeouts along the path a request takes, caller → route (tries, per-try timeout, overall timeout) →
 * backend, must let the retry policy run. Each finding is a warning at the field to change; what the
 * provider adds (App Mesh's rule for timeouts above 15s) comes through the seam.
 */

import type { Diagnostic } from "../diagnostics";
import { formatDuration } from "../duration";
import type { ServiceParts } from "../parts";
import { RULES } from "../rules";
import { type Check, servicesOf } from "./check";

type RouteParts = NonNullable<ServiceParts["route"]>;

/** A backend's routes, each with its path in the file and its name in messages: `routes[i]`, or the shorthand `route`. */
function routesOf(backend: string, b: ServiceParts): { route: RouteParts; path: (string | number)[]; field: string }[] {
  if (b.routes) return b.routes.map((route, i) => ({ route, path: ["services", backend, "routes", i], field: `routes[${i}]` }));
  return b.route ? [{ route: b.route, path: ["services", backend, "route"], field: "route" }] : [];
}

export const requestPath: Check = (parts, source, { provider: rules }) => {
  const services = servicesOf(parts);
  const out: Diagnostic[] = [];
  for (const [backend, b] of services) {
    if (b.protocol === "tcp") continue; // connections, not requests: nothing to time
    const routes = routesOf(backend, b).filter((r) => r.route.timeout !== undefined);
    for (const { route, path, field } of routes) {
      const policy = route.retryPolicy;
      if (policy?.maxRetries === undefined || policy.perRetryTimeout === undefined) continue;
      const needed = (policy.maxRetries + 1) * policy.perRetryTimeout;
      if (needed > route.timeout!) {
        const tries = Math.max(1, Math.floor(route.timeout! / policy.perRetryTimeout));
        const msg =
          `${policy.maxRetries} retries of ${formatDuration(policy.perRetryTimeout)} plus the first try need up to ${formatDuration(needed)}, ` +
          `but ${field}.timeout is ${formatDuration(route.timeout!)}, so at most ${tries} ${tries === 1 ? "try fits" : "tries fit"}; ` +
          `raise ${field}.timeout to ${formatDuration(needed)} or lower maxRetries`;
        out.push(source.report(RULES.retriesFit, [...path, "retryPolicy"], msg));
      }
    }
    // Without listener timeouts (VPC Lattice) only the caller bounds a call: nothing on the path to check it against.
    if (!rules?.supports("listenerTimeouts") || routes.length === 0) continue;
    // The route that allows longest bounds what the listeners on the path must allow.
    const { route, field } = routes.reduce((a, r) => (r.route.timeout! > a.route.timeout! ? r : a));
    const routeTimeout = route.timeout!;
    const policy = route.retryPolicy;
    const full = policy?.maxRetries !== undefined && policy.perRetryTimeout !== undefined;
    // Each try reaches the backend's listener, whose per-request timeout bounds it.
    const floor = rules.listenerFloor(routeTimeout, full ? Math.min(policy.perRetryTimeout!, routeTimeout) : undefined, field);
    if (b.timeout !== undefined && b.timeout < floor.ms) {
      const msg = `${formatDuration(b.timeout)} is shorter than requests to ${backend} may take: ${floor.why}; raise it to at least ${formatDuration(floor.ms)}`;
      out.push(source.report(RULES.backendTimeout, ["services", backend, "timeout"], msg));
    }
    // A caller's own listener bounds the whole request its clients make, backend calls and retries included.
    for (const [caller, c] of services) {
      if (!c.backends?.includes(backend) || c.timeout === undefined || c.timeout >= routeTimeout) continue;
      const msg =
        `${formatDuration(c.timeout)} ends ${caller}'s requests before its call to ${backend} can finish: that call may take up to ` +
        `${formatDuration(routeTimeout)} (${backend}'s ${field}.timeout, retries included), so ${caller}'s clients get a 504 first; ` +
        `raise it to at least ${formatDuration(routeTimeout)}${rules.callerTimeoutNote(routeTimeout)}`;
      out.push(source.report(RULES.callerTimeout, ["services", caller, "timeout"], msg));
    }
  }
  return out;
};
