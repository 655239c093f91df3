/** What only Service Connect checks: whole-second timeouts, cycles of callers, the names of its roles. */
import { type Check, servicesOf } from "../../config/checks/check";
import { roleTooLong } from "../../config/checks/names";
import type { Diagnostic } from "../../config/diagnostics";
import { formatDuration } from "../../config/duration";
import { NAME_LIMITS } from "../../config/limits";
import { environmentNames } from "../../config/names";
import { RULES, type Rule } from "../../config/rules";
import { tlsRoleName } from "./names";

const rule = (id: string, level: Rule["level"], title: string): Rule => ({ id, level, title });

export const SERVICE_CONNECT_RULES = {
  wholeSeconds: rule("MF511", "error", "Service Connect timeouts are whole seconds"),
  backendCycle: rule("MF512", "warning", "services calling each other in a cycle are deployed twice"),
  tlsBehindLoadBalancer: {
    ...rule("MF513", "error", "a service with Service Connect TLS has no load balancer in front"),
    source:
      'ECS guide, Service Connect networking: "In the default configuration, the Service Connect proxy listens on the containerPort from the port mapping in the task definition" (API reference, ServiceConnectService.ingressPortOverride: "In awsvpc mode and Fargate, the default value is the container port number")',
  },
} as const;

/** Service Connect's per-request timeout is a whole number of seconds (`per_request_timeout_seconds`). */
export const wholeSeconds: Check = (parts, source) =>
  servicesOf(parts).flatMap(([name, s]): Diagnostic[] => {
    if (s.timeout === undefined || s.timeout % 1000 === 0) return [];
    const up = Math.ceil(s.timeout / 1000) * 1000;
    return [
      source.report(
        SERVICE_CONNECT_RULES.wholeSeconds,
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
      out.push(source.report(SERVICE_CONNECT_RULES.backendCycle, ["services", first, "backends"], msg));
      return;
    }
    for (const b of graph.get(name) ?? []) if (graph.has(b)) visit(b, [...path, name]);
  };
  for (const name of [...graph.keys()].sort()) visit(name, []);
  return out;
};

/** The infrastructure role that issues TLS certificates fits AWS's 64 characters. */
export const roleNames: Check = (parts, source) => {
  const { environment, project, internalDomain } = parts;
  if (environment === undefined || project === undefined || internalDomain === undefined) return [];
  const role = tlsRoleName(environmentNames(environment, project, internalDomain));
  const tls = Object.values(parts.services ?? {}).some((s) => s?.tls);
  return tls && role.length > NAME_LIMITS.iamRole
    ? [source.report(RULES.nameLength, ["project"], roleTooLong(role, "project or environment"))]
    : [];
};

/**
 * A load balancer's target group reaches the task on the app's container port, where the Service Connect proxy
 * listens (on Fargate, unless ingressPortOverride moves it); with TLS on, that proxy speaks TLS only, so the
 * load balancer's plain TCP and HTTP health checks would fail and no request would get through.
 */
export const tlsBehindLoadBalancer: Check = (parts, source) =>
  servicesOf(parts).flatMap(([name, s]): Diagnostic[] =>
    s.tls !== undefined && s.ingress !== undefined
      ? [
          source.report(
            SERVICE_CONNECT_RULES.tlsBehindLoadBalancer,
            ["services", name, "ingress"],
            `reaches ${name}'s tasks on port ${s.port ?? "its port"}, where the Service Connect proxy listens and, with tls, speaks TLS only: the load balancer's plain connections and health checks would fail. Put the ingress on a service without tls that calls ${name} (the proxies encrypt that call), or remove tls`,
            true,
          ),
        ]
      : [],
  );
