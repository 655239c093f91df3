/**
 * The environment variables meshform sets in every app container, with the reason for each: one list for
 * the container definitions that set them and for the check that keeps a user's `environment` off them.
 * Provider-specific ones (Service Connect's retry policy) come from the provider's rules.
 */

import type { ResolvedBackend } from "./model";

/** `data-processing` → `DATA_PROCESSING`: the prefix of the variables that tell a caller about a backend. */
export const backendPrefix = (service: string) => service.toUpperCase().replace(/-/g, "_");

export const APP_VARIABLES = {
  port: "APP_PORT",
  namespace: "MESH_NAMESPACE",
  xray: "AWS_XRAY_DAEMON_ADDRESS",
  otlp: "OTEL_EXPORTER_OTLP_ENDPOINT",
  deadLetterQueue: "DEAD_LETTER_QUEUE_URL",
} as const;

export const backendVariables = (backend: string) => ({
  url: `${backendPrefix(backend)}_URL`,
  /** How long one call to the backend may take, retries included: the backend's route.timeout (not for TCP). */
  timeout: `${backendPrefix(backend)}_TIMEOUT_MS`,
  /** Host and port apart, for clients that take them so (database drivers, gRPC): TCP and gRPC backends. */
  host: `${backendPrefix(backend)}_HOST`,
  port: `${backendPrefix(backend)}_PORT`,
  /** The request headers the caller passes on to the backend (its test-traffic and route header matches), comma-separated. */
  forwardHeaders: `${backendPrefix(backend)}_FORWARD_HEADERS`,
});

/**
 * The variables that carry a backend's retry policy into a caller that enforces it (Service Connect, whose
 * proxy's retries cannot be configured). Read by src/services/shared/call-policy.ts.
 */
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

/**
 * The variables that tell a caller to sign its calls to a backend with SigV4 (VPC Lattice, which authorizes
 * callers by IAM): the service name to sign for and the region. Read by src/services/shared/signing.ts.
 */
export const signingVariables = (backend: string) => {
  const p = backendPrefix(backend);
  return { service: `${p}_SIGV4_SERVICE`, region: `${p}_SIGV4_REGION` };
};

/** A backend's retry policy as the variables a caller that enforces it reads (none without a policy). */
export function retryPolicyVariables(backend: ResolvedBackend): Record<string, string> {
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
}

/** Every variable the core sets for a service, and why, as a user reads it. */
export function managedVariables(
  service: string,
  backends: readonly string[],
  deadLetterQueue: boolean,
  externals: readonly string[] = [],
): Map<string, string> {
  const managed = new Map<string, string>([
    [APP_VARIABLES.port, `the port the app listens on, from services.${service}.port`],
    [APP_VARIABLES.namespace, "the environment's Cloud Map namespace"],
    [APP_VARIABLES.xray, "the address of the tracing collector beside the app (X-Ray's UDP protocol)"],
    [APP_VARIABLES.otlp, "the address of the tracing collector beside the app (OTLP)"],
  ]);
  if (deadLetterQueue) managed.set(APP_VARIABLES.deadLetterQueue, "the URL of the environment's dead-letter queue");
  for (const b of backends) {
    const v = backendVariables(b);
    managed.set(v.url, `the URL of the backend ${b}`);
    managed.set(v.timeout, `how long a call to ${b} may take, from its route.timeout`);
    managed.set(v.host, `the host name of the backend ${b}`);
    managed.set(v.port, `the port of the backend ${b}`);
    managed.set(v.forwardHeaders, `the headers to pass on to ${b}, from its deployment.testTraffic and routes`);
  }
  for (const e of externals) managed.set(backendVariables(e).url, `the URL of the external service ${e}`);
  return managed;
}
