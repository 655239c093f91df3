/**
 * A service's settings fit what it speaks. A TCP service (a database, a cache) has connections, not requests: no
 * path to route or health-check, no per-request timeout (Service Connect: "perRequestTimeout can only be set if
 * Service Connect appProtocol isn't TCP"), no retry policy (App Mesh: a TcpRoute has no retryPolicy). gRPC
 * statuses are retried only on gRPC services.
 */
import type { Diagnostic } from "../diagnostics";
import { RULES } from "../rules";
import { type Check, servicesOf, written } from "./check";

export const protocolSettings: Check = (parts, source) => {
  const out: Diagnostic[] = [];
  for (const [name, s] of servicesOf(parts)) {
    const at = (...path: (string | number)[]) => ["services", name, ...path];
    const refuse = (path: (string | number)[], message: string, onKey = true) => {
      if (written(source, path)) out.push(source.report(RULES.protocolSettings, path, message, onKey));
    };
    const routes = (s.routes ?? []).map((_, i) => ["routes", i] as (string | number)[]);
    if (s.protocol === "tcp") {
      const tcp = "and this service speaks tcp: a TCP connection carries no requests";
      refuse(
        at("healthCheckPath"),
        `is an HTTP path, ${tcp}; the load balancer and the mesh check that it accepts connections instead: remove healthCheckPath`,
      );
      refuse(at("timeout"), `bounds a request, ${tcp} (the proxies keep an idle connection open): remove timeout`);
      refuse(at("route", "prefix"), `matches an HTTP path, ${tcp}: remove prefix`);
      refuse(
        at("route", "retryPolicy"),
        `retries requests, ${tcp}, and a mesh cannot replay one (App Mesh's TCP routes have no retry policy): remove retryPolicy, and let the client reconnect`,
      );
      refuse(at("route", "timeout"), `bounds a request, ${tcp}: remove it`);
      for (const r of routes) {
        refuse(at(...r, "match"), `matches HTTP requests, ${tcp}: a TCP service's routes only weigh versions (to)`);
        refuse(at(...r, "retryPolicy"), `retries requests, ${tcp}: remove retryPolicy`);
      }
    }
    if (s.protocol !== "grpc") {
      for (const r of [["route"], ...routes]) {
        refuse(
          at(...r, "retryPolicy", "grpcRetryEvents"),
          `retries gRPC statuses, and this service speaks ${s.protocol ?? "http"}: use httpRetryEvents, or set protocol: grpc`,
        );
      }
    }
  }
  return out;
};
