/**
 * ECS Service Connect: ECS injects the proxy and registers the service in Cloud Map itself. Its proxy's
 * retries cannot be configured, so the route's retry policy moves into the caller: every caller of a service
 * learns it through environment variables and its HTTP client enforces it (src/services/shared/call-policy.ts
 * reads them). The pure half is here; the construct half (stack.ts) is loaded only to build a stack.
 */
import { retryPolicyVariables, retryVariables } from "../../config/app-environment";
import { formatDuration } from "../../config/duration";
import type { Reservation } from "../../config/model";
import type { EnvironmentConfig } from "../../config/schema";
import { honours, refusals } from "../capabilities";
import { Lazy } from "../lazy";
import type { MeshProvider } from "../provider";
import { backendCycles, roleNames, SERVICE_CONNECT_RULES, tlsBehindLoadBalancer, wholeSeconds } from "./checks";
import { serviceConnectContainers } from "./containers";
import { serviceConnectMetrics } from "./metrics";

export interface ServiceConnectOptions {
  /** The share of every task left to the proxy ECS injects. */
  proxy: EnvironmentConfig["mesh"]["proxy"];
}

const d = formatDuration;

export const serviceConnect: MeshProvider = {
  id: "service-connect",
  displayName: "Service Connect",
  supports: (feature) => honours("service-connect", feature),
  rules: Object.values(SERVICE_CONNECT_RULES),
  checks: [refusals("service-connect"), wholeSeconds, backendCycles, roleNames, tlsBehindLoadBalancer],
  metrics: serviceConnectMetrics,
  retries: { by: "caller", who: "the caller" },
  reservation: (mesh) => {
    const proxy = { what: "the Service Connect proxy", ...mesh?.proxy };
    return proxy.cpu !== undefined && proxy.memory !== undefined ? (proxy as Reservation) : undefined;
  },
  options: (config): ServiceConnectOptions => ({ proxy: config.mesh.proxy }),
  backendVariables: retryPolicyVariables,
  backendVariableNames(backend) {
    const why = `the retry policy of ${backend}'s route, which the caller enforces under Service Connect`;
    return new Map(Object.values(retryVariables(backend)).map((name) => [name, why]));
  },
  listenerFloor: (routeTimeoutMs, perTryMs, field = "route") =>
    perTryMs !== undefined
      ? { ms: perTryMs, why: `each try of its callers may take ${d(perTryMs)} (retryPolicy.perRetryTimeout)` }
      : { ms: routeTimeoutMs, why: `its callers wait up to ${d(routeTimeoutMs)} (${field}.timeout)` },
  callerTimeoutNote: () => "",
  containers: serviceConnectContainers,
  placeholderRefs: () => ({}),
  journey: (c) =>
    `${c.caller}'s code (deadline ${d(c.routeTimeoutMs)}${c.retried ? ", retries" : ""}) → Service Connect proxy → ${c.backend} (per-request timeout ${d(c.backendTimeoutMs)})`,
  madeStack: (stack) =>
    Object.values(stack.resource?.aws_ecs_service ?? {}).some(
      (s) => (s as Record<string, unknown>).service_connect_configuration !== undefined,
    ),
  forgetOnLeaving: [],
  stack: new Lazy("the Service Connect stack", async () => (await import("./stack.js")).serviceConnectStack),
};
