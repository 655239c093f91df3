/**
 * AWS App Mesh (end of life 2026-09-30): Envoy beside every app, found through Cloud Map; the route's retry
 * policy is Envoy's, so the app only learns its backends' URLs and deadlines. The pure half is here; the
 * construct half (stack.ts) is loaded only to build a stack.
 */
import { formatDuration } from "../../config/duration";
import type { Reservation } from "../../config/model";
import { honours, refusals } from "../capabilities";
import { Lazy } from "../lazy";
import type { MeshProvider } from "../provider";
import { APPMESH_RULES, appMeshQuotas, endOfLife, envoyPorts, gatewayNames, listenerSettings } from "./checks";
import { appMeshContainers } from "./containers";
import { appMeshNames } from "./facts";
import { appMeshOptions } from "./options";

/** Envoy's default per-request timeout; App Mesh asks for larger ones to be set on every node of the path. */
const DEFAULT_TIMEOUT_MS = 15_000;
/** Envoy's retry backoff, which App Mesh cannot change: base 25 ms, at most 250 ms a pause. */
const ENVOY_BACKOFF_CAP_MS = 250;

const d = formatDuration;

export const appMesh: MeshProvider = {
  id: "appmesh",
  displayName: "App Mesh",
  supports: (feature) => honours("appmesh", feature),
  rules: Object.values(APPMESH_RULES),
  checks: [refusals("appmesh"), endOfLife, appMeshQuotas, listenerSettings, envoyPorts, gatewayNames],
  retries: { by: "proxy", who: "the caller's Envoy", backoffCapMs: ENVOY_BACKOFF_CAP_MS, backoff: "Envoy's backoff, up to 250ms a pause" },
  reservation: (mesh) => {
    const envoy = { what: "the Envoy proxy", ...mesh?.envoy };
    return envoy.cpu !== undefined && envoy.memory !== undefined ? (envoy as Reservation) : undefined;
  },
  options: appMeshOptions,
  backendVariables: () => ({}),
  backendVariableNames: () => new Map(),
  listenerFloor(routeTimeoutMs, perTryMs, field = "route") {
    if (routeTimeoutMs > DEFAULT_TIMEOUT_MS) {
      return {
        ms: routeTimeoutMs,
        why: `its ${field}.timeout is ${d(routeTimeoutMs)}, and App Mesh requires a timeout above 15s to be set on the destination node's listener too`,
      };
    }
    return perTryMs !== undefined
      ? { ms: perTryMs, why: `each try of its route may take ${d(perTryMs)} (retryPolicy.perRetryTimeout)` }
      : { ms: routeTimeoutMs, why: `its route allows ${d(routeTimeoutMs)} (${field}.timeout)` };
  },
  callerTimeoutNote: (routeTimeoutMs) =>
    routeTimeoutMs > DEFAULT_TIMEOUT_MS ? " (App Mesh requires a timeout above 15s to be set on the source node's listener too)" : "",
  containers: appMeshContainers,
  placeholderRefs: (env, service) => ({
    virtualNodeArn: `arn:aws:appmesh:${env.region}:123456789012:mesh/${env.names.prefix}/virtualNode/${appMeshNames(service.names).virtualNode}`,
  }),
  journey: (c) =>
    `${c.caller} → its Envoy → ${c.backend}'s route (timeout ${d(c.routeTimeoutMs)}${c.retried ? ", retries" : ""}) → ${c.backend}'s listener (timeout ${d(c.backendTimeoutMs)})`,
  madeStack: (stack) => Object.keys(stack.resource?.aws_appmesh_mesh ?? {}).length > 0,
  // "After September 30, 2026, you will no longer be able to access the AWS App Mesh console or AWS App Mesh
  // resources" (App Mesh user guide, end of support notice): a delete would call an API that no longer answers.
  forgetOnLeaving: ["aws_appmesh_"],
  stack: new Lazy("the App Mesh stack", async () => (await import("./stack.js")).appMeshStack),
};
