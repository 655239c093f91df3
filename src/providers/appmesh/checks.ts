/** What only App Mesh checks: its default quotas, its end of life, and settings only Service Connect honours. */
import { arnRegion, type Check, servicesOf, written } from "../../config/checks/check";
import type { Diagnostic } from "../../config/diagnostics";
import { APPMESH_END_OF_LIFE } from "../../config/limits";

/**
 * App Mesh's default quotas (Service Quotas, service code `appmesh`). They can be raised on request, so
 * exceeding one is a warning. meshform makes one virtual node, router and service per service.
 */
export const APPMESH_QUOTAS = {
  /** L-E043DFB4 virtual nodes, L-50F6C35A virtual routers, L-DA7495A7 virtual services: 200 each per mesh. */
  perMesh: { value: 200, codes: "L-E043DFB4, L-50F6C35A, L-DA7495A7" },
  /** L-8775AB18: backends per virtual node. */
  backendsPerNode: { value: 50, code: "L-8775AB18" },
  /** L-606A910B: Envoy processes connected to one virtual node, i.e. tasks of one service. */
  envoysPerNode: { value: 50, code: "L-606A910B" },
} as const;

export const appMeshQuotas: Check = (parts, source) => {
  const out: Diagnostic[] = [];
  const { perMesh, backendsPerNode, envoysPerNode } = APPMESH_QUOTAS;
  if (parts.serviceNames.length > perMesh.value) {
    const msg = `${parts.serviceNames.length} services need as many virtual nodes, routers and services; App Mesh allows ${perMesh.value} of each per mesh by default (quotas ${perMesh.codes}): request an increase before deploying`;
    out.push(source.diagnostic(["services"], msg, "warning", true));
  }
  for (const [name, s] of servicesOf(parts)) {
    const backends = s.backends?.length ?? 0;
    if (backends > backendsPerNode.value) {
      const msg = `${backends} backends; App Mesh allows ${backendsPerNode.value} per virtual node by default (quota ${backendsPerNode.code}): request an increase before deploying`;
      out.push(source.diagnostic(["services", name, "backends"], msg, "warning"));
    }
    if (s.desiredCount !== undefined && s.desiredCount > envoysPerNode.value) {
      const msg = `${s.desiredCount} tasks connect as many Envoys to one virtual node; App Mesh allows ${envoysPerNode.value} by default (quota ${envoysPerNode.code}): request an increase before deploying`;
      out.push(source.diagnostic(["services", name, "desiredCount"], msg, "warning"));
    }
  }
  return out;
};

/** AWS: "On September 30, 2026, AWS will discontinue support for AWS App Mesh" (its console and resources). */
export const endOfLife: Check = (_parts, source) => [
  source.diagnostic(
    ["mesh", "provider"],
    `App Mesh reached end of life on ${APPMESH_END_OF_LIFE}: AWS no longer serves its meshes, so this stack cannot deploy; set provider: service-connect (README: "Moving an environment from App Mesh to Service Connect")`,
    "warning",
  ),
];

/** Settings a user wrote that only Service Connect honours: said at their line, never silently dropped. */
export const serviceConnectOnly: Check = (parts, source) => {
  const out: Diagnostic[] = [];
  if (written(source, ["mesh", "proxy"])) {
    out.push(
      source.diagnostic(
        ["mesh", "proxy"],
        "sizes the proxy Service Connect injects; under App Mesh, size the Envoy sidecar with mesh.envoy",
        "error",
        true,
      ),
    );
  }
  for (const [name, s] of servicesOf(parts)) {
    const strategy = s.deployment?.strategy;
    if (strategy !== undefined && strategy !== "rolling") {
      const msg = `ECS shifts traffic between revisions only through Service Connect or a load balancer, and App Mesh services are found through Cloud Map; under App Mesh, release with versions and routes that weigh them (e.g. to: { v1: 90, v2: 10 }): use strategy: rolling`;
      out.push(source.diagnostic(["services", name, "deployment", "strategy"], msg));
    }
    const test = ["services", name, "deployment", "testTraffic"];
    if (strategy !== "rolling" && written(source, test)) {
      out.push(
        source.diagnostic(
          test,
          "routes test traffic through Service Connect's proxies; under App Mesh, give the new version a route that matches the header (routes[].match.headers): remove testTraffic",
          "error",
          true,
        ),
      );
    }
    const path = ["services", name, "route", "retryPolicy", "backoff"];
    if (written(source, path)) {
      const msg =
        "App Mesh's Envoy backs off between retries on its own (25ms base, up to 250ms) and cannot be configured; remove backoff (it applies under Service Connect, where the caller retries)";
      out.push(source.diagnostic(path, msg, "error", true));
    }
  }
  return out;
};

/** Listener settings App Mesh needs in a certain shape: the pool that fits the protocol, TLS with its certificate. */
export const listenerSettings: Check = (parts, source) => {
  const out: Diagnostic[] = [];
  for (const [name, s] of servicesOf(parts)) {
    const at = (...path: string[]) => ["services", name, ...path];
    const pool = s.connectionPool;
    if (pool !== undefined && s.protocol !== undefined) {
      const [wanted, other] =
        s.protocol === "http2" ? ["maxRequests", ["maxConnections", "maxPendingRequests"]] : ["maxConnections", ["maxRequests"]];
      if (pool[wanted as keyof typeof pool] === undefined)
        out.push(source.diagnostic(at("connectionPool"), `needs ${wanted} for protocol ${s.protocol}`, "error", true));
      for (const key of other as string[]) {
        if (pool[key as keyof typeof pool] !== undefined)
          out.push(
            source.diagnostic(
              at("connectionPool", key),
              `applies to protocol ${key === "maxRequests" ? "http2" : "http"}, and this service speaks ${s.protocol}; use ${wanted}`,
              "error",
              true,
            ),
          );
      }
    }
    (s.backends ?? []).forEach((backend, i) => {
      if (parts.services?.[backend]?.tls?.clientValidation === undefined || s.clientCertificate !== undefined) return;
      const msg = `${backend} requires mutual TLS (tls.clientValidation): give ${name} a clientCertificate ({ file: { chain, key } } or { sds: "secret name" })`;
      out.push(source.diagnostic(["services", name, "backends", i], msg));
    });
    const tls = s.tls;
    if (tls === undefined) continue;
    if (tls.clientValidation !== undefined && s.ingress !== undefined) {
      const msg =
        "the ingress gateway presents no client certificate, so it cannot reach a service that requires mutual TLS; put the ingress on a service that calls this one";
      out.push(source.diagnostic(at("ingress"), msg, "error", true));
    }
    if (tls.certificate === undefined && !written(source, at("tls", "certificate"))) {
      out.push(
        source.diagnostic(
          at("tls"),
          "needs the listener's certificate under App Mesh: add certificate (an ACM certificate issued by certificateAuthority)",
          "error",
          true,
        ),
      );
    }
    const certRegion = typeof tls.certificate === "string" ? arnRegion(tls.certificate) : undefined;
    if (certRegion !== undefined && parts.region !== undefined && certRegion !== parts.region) {
      out.push(
        source.diagnostic(
          at("tls", "certificate"),
          `is in ${certRegion}; Envoy exports its certificate from ACM in the stack's region, ${parts.region}: issue it there`,
        ),
      );
    }
  }
  return out;
};
