/** What Service Connect cannot honour, said at the line that asks for it with what to do instead. */
import { type Check, servicesOf, written } from "../../config/checks/check";
import type { Diagnostic } from "../../config/diagnostics";
import { formatDuration } from "../../config/duration";

/** Settings of the whole file Service Connect has no equivalent for: wherever written, each is refused with the reason. */
const ENVIRONMENT_FIELDS: [path: string[], message: string][] = [
  [
    ["mesh", "egress"],
    "Service Connect has no egress filter: tasks reach what their security group allows (meshform's allows the services' ports inside the group, and HTTPS); remove egress",
  ],
  [
    ["mesh", "ipPreference"],
    "Service Connect's proxies use the addresses ECS gives the tasks (IPv4, or dual-stack in a dual-stack VPC); remove ipPreference",
  ],
  [
    ["mesh", "envoy"],
    "Service Connect injects and manages its own proxy, so there is no Envoy sidecar to configure; remove envoy (mesh.proxy sizes the proxy's share)",
  ],
];

/** The same for a service's settings, by their path under the service. */
const SERVICE_FIELDS: [path: string[], message: string][] = [
  [
    ["healthCheck", "healthyThreshold"],
    "ECS container health checks, which time Service Connect tasks, count one success as healthy; remove healthyThreshold (interval, timeout and unhealthyThreshold apply)",
  ],
  [
    ["outlierDetection"],
    "Service Connect's proxy ejects failing tasks on its own (outlier detection is built in and cannot be configured); remove outlierDetection, and let the container health check replace a task that stays unhealthy",
  ],
  [
    ["connectionPool"],
    "Service Connect's proxy has no connection pool settings; remove connectionPool, and bound concurrency in the caller (its retry budget limits retries already)",
  ],
  [
    ["tls", "certificate"],
    "Service Connect issues every task's certificate from certificateAuthority itself and rotates it; remove certificate",
  ],
  [
    ["tls", "clientValidation"],
    "Service Connect's TLS authenticates the service to its callers, not the callers to it (no mutual TLS); remove clientValidation",
  ],
  [["clientCertificate"], "Service Connect's proxies present no client certificates (no mutual TLS); remove clientCertificate"],
  [
    ["versions"],
    "Service Connect runs one revision of a service at a time; release a new one gradually with deployment.strategy canary, linear or blue-green, where ECS shifts the traffic",
  ],
  [
    ["routes"],
    "Service Connect sends every request for a service to it, with no routes to match headers, paths or methods; remove routes (route's timeout and retryPolicy apply; for test traffic by header, see deployment.testTraffic)",
  ],
  [["route", "priority"], "Service Connect has no routes to order; remove priority"],
];

export const appMeshOnly: Check = (parts, source) => {
  const refuse = (path: (string | number)[], message: string) =>
    written(source, path) ? [source.diagnostic(path, message, "error", true)] : [];
  const out: Diagnostic[] = ENVIRONMENT_FIELDS.flatMap(([path, message]) => refuse(path, message));
  for (const [name, s] of servicesOf(parts)) {
    const prefix = ["services", name, "route", "prefix"];
    if (written(source, prefix) && s.route?.prefix !== "/") {
      const msg =
        "Service Connect sends every request for a service to it, with no path routing; remove prefix, and route paths in the app or in a load balancer in front";
      out.push(source.diagnostic(prefix, msg));
    }
    const authority = s.tls?.certificateAuthority;
    if (authority !== undefined && typeof authority !== "string") {
      const msg = "Service Connect issues certificates from an AWS Private CA only: give the CA's ARN (arn:aws:acm-pca:...)";
      out.push(source.diagnostic(["services", name, "tls", "certificateAuthority"], msg));
    }
    if (s.tls?.mode === "PERMISSIVE") {
      const msg =
        "Service Connect's TLS has no permissive mode: once on, every call to the service is encrypted by the proxies; remove mode (STRICT)";
      out.push(source.diagnostic(["services", name, "tls", "mode"], msg));
    }
    out.push(...SERVICE_FIELDS.flatMap(([path, message]) => refuse(["services", name, ...path], message)));
  }
  return out;
};

/** Service Connect's per-request timeout is a whole number of seconds (`per_request_timeout_seconds`). */
export const wholeSeconds: Check = (parts, source) =>
  servicesOf(parts).flatMap(([name, s]): Diagnostic[] => {
    if (s.timeout === undefined || s.timeout % 1000 === 0) return [];
    const up = Math.ceil(s.timeout / 1000) * 1000;
    return [
      source.diagnostic(
        ["services", name, "timeout"],
        `Service Connect takes a per-request timeout in whole seconds; write ${formatDuration(Math.max(up, 1000))}`,
      ),
    ];
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
