/**
 * The environment variables meshform sets in every app container, with the reason for each: one list for
 * the container definitions that set them and for the check that keeps a user's `environment` off them.
 */

/** `data-processing` → `DATA_PROCESSING`: the prefix of the variables that tell a caller about a backend. */
export const backendPrefix = (service: string) => service.toUpperCase().replace(/-/g, "_");

export const APP_VARIABLES = {
  port: "APP_PORT",
  namespace: "MESH_NAMESPACE",
  xray: "AWS_XRAY_DAEMON_ADDRESS",
} as const;

export const backendVariables = (backend: string) => ({ url: `${backendPrefix(backend)}_URL` });

/** Every variable meshform sets for a service with these backends, and why, as a user reads it. */
export function managedVariables(service: string, backends: readonly string[]): Map<string, string> {
  const managed = new Map<string, string>([
    [APP_VARIABLES.port, `the port the app listens on, from services.${service}.port`],
    [APP_VARIABLES.namespace, "the environment's Cloud Map namespace"],
    [APP_VARIABLES.xray, "the address of the X-Ray daemon beside the app"],
  ]);
  for (const b of backends) managed.set(backendVariables(b).url, `the URL of the backend ${b}`);
  return managed;
}
