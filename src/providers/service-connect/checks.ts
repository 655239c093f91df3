/** What Service Connect cannot honour, said at the line that asks for it with what to do instead. */
import { type Check, servicesOf } from "../../config/checks/check";
import type { Diagnostic } from "../../config/diagnostics";
import { formatDuration } from "../../config/duration";

const written = (source: Parameters<Check>[1], path: (string | number)[]) => source.valueAt(path) !== undefined;

export const appMeshOnly: Check = (parts, source) => {
  const out: Diagnostic[] = [];
  if (written(source, ["mesh", "egress"])) {
    const msg =
      "Service Connect has no egress filter: tasks reach what their security group allows (meshform's allows the services' ports inside the group, and HTTPS); remove egress";
    out.push(source.diagnostic(["mesh", "egress"], msg, "error", true));
  }
  if (written(source, ["mesh", "ipPreference"])) {
    const msg = "Service Connect's proxies use the addresses ECS gives the tasks (IPv4, or dual-stack in a dual-stack VPC); remove ipPreference";
    out.push(source.diagnostic(["mesh", "ipPreference"], msg, "error", true));
  }
  if (written(source, ["mesh", "envoy"])) {
    const msg = "Service Connect injects and manages its own proxy, so there is no Envoy sidecar to configure; remove envoy (mesh.proxy sizes the proxy's share)";
    out.push(source.diagnostic(["mesh", "envoy"], msg, "error", true));
  }
  for (const [name, s] of servicesOf(parts)) {
    const prefix = ["services", name, "route", "prefix"];
    if (written(source, prefix) && s.route?.prefix !== "/") {
      const msg = "Service Connect sends every request for a service to it, with no path routing; remove prefix, and route paths in the app or in a load balancer in front";
      out.push(source.diagnostic(prefix, msg));
    }
    const healthy = ["services", name, "healthCheck", "healthyThreshold"];
    if (written(source, healthy)) {
      const msg = "ECS container health checks, which time Service Connect tasks, count one success as healthy; remove healthyThreshold (interval, timeout and unhealthyThreshold apply)";
      out.push(source.diagnostic(healthy, msg, "error", true));
    }
    const outlier = ["services", name, "outlierDetection"];
    if (written(source, outlier)) {
      const msg =
        "Service Connect's proxy ejects failing tasks on its own (outlier detection is built in and cannot be configured); remove outlierDetection, and let the container health check replace a task that stays unhealthy";
      out.push(source.diagnostic(outlier, msg, "error", true));
    }
    const pool = ["services", name, "connectionPool"];
    if (written(source, pool)) {
      const msg = "Service Connect's proxy has no connection pool settings; remove connectionPool, and bound concurrency in the caller (its retry budget limits retries already)";
      out.push(source.diagnostic(pool, msg, "error", true));
    }
    const certificate = ["services", name, "tls", "certificate"];
    if (written(source, certificate)) {
      const msg = "Service Connect issues every task's certificate from certificateAuthority itself and rotates it; remove certificate";
      out.push(source.diagnostic(certificate, msg, "error", true));
    }
    if (s.tls?.mode === "PERMISSIVE") {
      const msg = "Service Connect's TLS has no permissive mode: once on, every call to the service is encrypted by the proxies; remove mode (STRICT)";
      out.push(source.diagnostic(["services", name, "tls", "mode"], msg));
    }
    const versions = ["services", name, "versions"];
    if (written(source, versions)) {
      const msg = "Service Connect runs one revision of a service at a time; release a new one gradually with deployment.strategy canary, linear or blue-green, where ECS shifts the traffic";
      out.push(source.diagnostic(versions, msg, "error", true));
    }
    const routes = ["services", name, "routes"];
    if (written(source, routes)) {
      const msg = "Service Connect sends every request for a service to it, with no routes to match headers, paths or methods; remove routes (route's timeout and retryPolicy apply; for test traffic by header, see deployment.testTraffic)";
      out.push(source.diagnostic(routes, msg, "error", true));
    }
    const priority = ["services", name, "route", "priority"];
    if (written(source, priority)) {
      out.push(source.diagnostic(priority, "Service Connect has no routes to order; remove priority", "error", true));
    }
  }
  return out;
};

/** Service Connect's per-request timeout is a whole number of seconds (`per_request_timeout_seconds`). */
export const wholeSeconds: Check = (parts, source) =>
  servicesOf(parts).flatMap(([name, s]): Diagnostic[] => {
    if (s.timeout === undefined || s.timeout % 1000 === 0) return [];
    const up = Math.ceil(s.timeout / 1000) * 1000;
    return [source.diagnostic(["services", name, "timeout"], `Service Connect takes a per-request timeout in whole seconds; write ${formatDuration(Math.max(up, 1000))}`)];
  });

/**
 * A Service Connect task resolves only the endpoints that existed when it started, so each client is created
 * after its backends; in a cycle of services calling each other one must come first and cannot reach the
 * last until it is deployed again.
 */
export const backendCycles: Check = (parts, source) => {
  const graph = new Map(servicesOf(parts).map(([name, s]) => [name, s.backends ?? []]));
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (path.includes(name)) {
      const cycle = path.slice(path.indexOf(name));
      const key = [...cycle].sort().join(",");
      if (reported.has(key)) return;
      reported.add(key);
      const first = [...cycle].sort()[0]!;
      const msg = `${[...cycle, name].join(" → ")} call each other in a cycle; Service Connect tasks reach only services that existed when they started, so after the first deploy, deploy ${first} again (or break the cycle)`;
      out.push(source.diagnostic(["services", first, "backends"], msg, "warning"));
      return;
    }
    for (const b of graph.get(name) ?? []) if (graph.has(b)) visit(b, [...path, name]);
  };
  for (const name of [...graph.keys()].sort()) visit(name, []);
  return out;
};
