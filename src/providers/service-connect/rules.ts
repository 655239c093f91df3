/**
 * Service Connect, pure half. Its proxy's retries cannot be configured, so the route's retry policy moves
 * into the caller: every caller of a service learns it through environment variables and its HTTP client
 * enforces it (src/services/shared/retry-policy.ts reads them).
 */

import { retryVariables } from "../../config/app-environment";
import { formatDuration } from "../../config/duration";
import type { ResolvedBackend } from "../../config/model";
import type { ProviderRules } from "../rules";
import { appMeshOnly, backendCycles, wholeSeconds } from "./checks";
import { serviceConnectContainers } from "./containers";

export const serviceConnectRules: ProviderRules = {
  name: "service-connect",
  checks: [appMeshOnly, wholeSeconds, backendCycles],
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
  listenerFloor: (routeTimeoutMs, perTryMs, field = "route") =>
    perTryMs !== undefined
      ? { ms: perTryMs, why: `each try of its callers may take ${formatDuration(perTryMs)} (retryPolicy.perRetryTimeout)` }
      : { ms: routeTimeoutMs, why: `its callers wait up to ${formatDuration(routeTimeoutMs)} (${field}.timeout)` },
  callerTimeoutNote: () => "",
  containers: serviceConnectContainers,
  placeholderRefs: () => ({}),
};
