/** App Mesh, pure half: Envoy retries for the caller, so the app only learns its backends' URLs and deadlines. */
import { formatDuration } from "../../config/duration";
import type { ProviderRules } from "../rules";
import { appMeshQuotas, endOfLife, listenerSettings, serviceConnectOnly } from "./checks";
import { appMeshContainers } from "./containers";

/** Envoy's default per-request timeout; App Mesh asks for larger ones to be set on every node of the path. */
const DEFAULT_TIMEOUT_MS = 15_000;

export const appMeshRules: ProviderRules = {
  name: "appmesh",
  checks: [endOfLife, appMeshQuotas, serviceConnectOnly, listenerSettings],
  backendVariables: () => ({}),
  backendVariableNames: () => new Map(),
  listenerFloor(routeTimeoutMs, perTryMs, field = "route") {
    if (routeTimeoutMs > DEFAULT_TIMEOUT_MS) {
      return {
        ms: routeTimeoutMs,
        why: `its ${field}.timeout is ${formatDuration(routeTimeoutMs)}, and App Mesh requires a timeout above 15s to be set on the destination node's listener too`,
      };
    }
    return perTryMs !== undefined
      ? { ms: perTryMs, why: `each try of its route may take ${formatDuration(perTryMs)} (retryPolicy.perRetryTimeout)` }
      : { ms: routeTimeoutMs, why: `its route allows ${formatDuration(routeTimeoutMs)} (${field}.timeout)` };
  },
  callerTimeoutNote: (routeTimeoutMs) =>
    routeTimeoutMs > DEFAULT_TIMEOUT_MS ? " (App Mesh requires a timeout above 15s to be set on the source node's listener too)" : "",
  containers: appMeshContainers,
  placeholderRefs: (env, service) => ({
    virtualNodeArn: `arn:aws:appmesh:${env.region}:123456789012:mesh/${env.names.prefix}/virtualNode/${service.names.virtualNode}`,
  }),
};
