/**
 * Service Connect, pure half. Its proxy's retries cannot be configured, so the route's retry policy moves
 * into the caller: every caller of a service learns it through environment variables and its HTTP client
 * enforces it (src/services/shared/retry-policy.ts reads them).
 */
import { formatDuration } from "../../config/duration";
import type { ResolvedBackend } from "../../config/model";
import { backendPrefix } from "../../config/app-environment";
import type { ProviderRules } from "../rules";
import { appMeshOnly, wholeSeconds } from "./checks";
import { serviceConnectContainers } from "./containers";

/** The variables that carry a backend's retry policy into its callers. */
export const retryVariables = (backend: string) => {
  const p = backendPrefix(backend);
  return {
    maxRetries: `${p}_MAX_RETRIES`,
    perTryTimeout: `${p}_PER_TRY_TIMEOUT_MS`,
    retryOn: `${p}_RETRY_ON`,
    backoffBase: `${p}_BACKOFF_BASE_MS`,
    backoffCap: `${p}_BACKOFF_CAP_MS`,
  };
};

export const serviceConnectRules: ProviderRules = {
  name: "service-connect",
  checks: [appMeshOnly, wholeSeconds],
  backendVariables(backend: ResolvedBackend) {
    const policy = backend.retryPolicy;
    if (!policy) return {};
    const v = retryVariables(backend.service);
    return {
      [v.maxRetries]: String(policy.maxRetries),
      [v.perTryTimeout]: String(policy.perRetryTimeoutMs),
      [v.retryOn]: [...policy.httpRetryEvents, ...policy.tcpRetryEvents].join(","),
      [v.backoffBase]: String(policy.backoff.baseMs),
      [v.backoffCap]: String(policy.backoff.capMs),
    };
  },
  backendVariableNames(backend) {
    const why = `the retry policy of ${backend}'s route, which the caller enforces under Service Connect`;
    return new Map(Object.values(retryVariables(backend)).map((name) => [name, why]));
  },
  listenerFloor: (routeTimeoutMs, perTryMs) =>
    perTryMs !== undefined
      ? { ms: perTryMs, why: `each try of its callers may take ${formatDuration(perTryMs)} (retryPolicy.perRetryTimeout)` }
      : { ms: routeTimeoutMs, why: `its callers wait up to ${formatDuration(routeTimeoutMs)} (route.timeout)` },
  callerTimeoutNote: () => "",
  containers: serviceConnectContainers,
  placeholderRefs: () => ({}),
};
