/** What only App Mesh checks: its default quotas, its end of life, its Envoy's ports, its listeners' settings, its gateway's names. */
import { arnRegion, type Check, servicesOf, written } from "../../config/checks/check";
import { roleTooLong } from "../../config/checks/names";
import type { Diagnostic } from "../../config/diagnostics";
import { NAME_LIMITS } from "../../config/limits";
import { environmentNames, serviceNames } from "../../config/names";
import { RULES, type Rule } from "../../config/rules";
import { APPMESH_END_OF_LIFE, appMeshNames, RESERVED_PORTS } from "./facts";

const rule = (id: string, level: Rule["level"], title: string): Rule => ({ id, level, title });

export const APPMESH_RULES = {
  quota: rule("MF501", "warning", "the environment fits App Mesh's default quotas"),
  endOfLife: rule("MF502", "warning", "App Mesh is served by AWS"),
  listener: rule("MF503", "error", "App Mesh listener settings fit the protocol and TLS has its certificates"),
  reservedPort: rule("MF504", "error", "a service's port is not one of Envoy's"),
} as const;

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
    out.push(source.report(APPMESH_RULES.quota, ["services"], msg, true));
  }
  for (const [name, s] of servicesOf(parts)) {
    const backends = s.backends?.length ?? 0;
    if (backends > backendsPerNode.value) {
      const msg = `${backends} backends; App Mesh allows ${backendsPerNode.value} per virtual node by default (quota ${backendsPerNode.code}): request an increase before deploying`;
      out.push(source.report(APPMESH_RULES.quota, ["services", name, "backends"], msg));
    }
    if (s.desiredCount !== undefined && s.desiredCount > envoysPerNode.value) {
      const msg = `${s.desiredCount} tasks connect as many Envoys to one virtual node; App Mesh allows ${envoysPerNode.value} by default (quota ${envoysPerNode.code}): request an increase before deploying`;
      out.push(source.report(APPMESH_RULES.quota, ["services", name, "desiredCount"], msg));
    }
  }
  return out;
};

/** AWS: "On September 30, 2026, AWS will discontinue support for AWS App Mesh" (its console and resources). */
export const endOfLife: Check = (_parts, source) => [
  source.report(
    APPMESH_RULES.endOfLife,
    ["mesh", "provider"],
    `App Mesh reached end of life on ${APPMESH_END_OF_LIFE}: AWS no longer serves its meshes, so this stack cannot deploy; set provider: service-connect or vpc-lattice with movedFrom: appmesh (README: "Moving an environment off App Mesh")`,
  ),
];

/** Listener settings App Mesh needs in a certain shape: the pool that fits the protocol, TLS with its certificate. */
export const listenerSettings: Check = (parts, source) => {
  const out: Diagnostic[] = [];
  for (const [name, s] of servicesOf(parts)) {
    const at = (...path: string[]) => ["services", name, ...path];
    const pool = s.connectionPool;
    if (pool !== undefined && s.protocol !== undefined) {
      // VirtualNodeConnectionPool: http {maxConnections, maxPendingRequests}, http2 and grpc {maxRequests}, tcp {maxConnections}.
      const streams = s.protocol === "http2" || s.protocol === "grpc";
      const [wanted, other] = streams
        ? ["maxRequests", ["maxConnections", "maxPendingRequests"]]
        : s.protocol === "tcp"
          ? ["maxConnections", ["maxRequests", "maxPendingRequests"]]
          : ["maxConnections", ["maxRequests"]];
      if (pool[wanted as keyof typeof pool] === undefined)
        out.push(source.report(APPMESH_RULES.listener, at("connectionPool"), `needs ${wanted} for protocol ${s.protocol}`, true));
      for (const key of other as string[]) {
        if (pool[key as keyof typeof pool] !== undefined)
          out.push(
            source.report(
              APPMESH_RULES.listener,
              at("connectionPool", key),
              `applies to protocol ${key === "maxRequests" ? "http2 or grpc" : "http"}, and this service speaks ${s.protocol}; use ${wanted}`,
              true,
            ),
          );
      }
    }
    // A virtual gateway listens for http, http2 or grpc only (App Mesh API reference, VirtualGatewayPortMapping).
    if (s.ingress !== undefined && (s.protocol === "tcp" || s.protocol === "grpc")) {
      const msg = `under App Mesh the ingress reaches the service through a virtual gateway, whose gateway route meshform writes for http and http2 only, and ${name} speaks ${s.protocol}: put the ingress on a service that calls it, or move to Service Connect`;
      out.push(source.report(APPMESH_RULES.listener, at("ingress"), msg, true));
    }
    (s.backends ?? []).forEach((backend, i) => {
      if (parts.services?.[backend]?.tls?.clientValidation === undefined || s.clientCertificate !== undefined) return;
      const msg = `${backend} requires mutual TLS (tls.clientValidation): give ${name} a clientCertificate ({ file: { chain, key } } or { sds: "secret name" })`;
      out.push(source.report(APPMESH_RULES.listener, ["services", name, "backends", i], msg));
    });
    const tls = s.tls;
    if (tls === undefined) continue;
    if (tls.clientValidation !== undefined && s.ingress !== undefined) {
      const msg =
        "the ingress gateway presents no client certificate, so it cannot reach a service that requires mutual TLS; put the ingress on a service that calls this one";
      out.push(source.report(APPMESH_RULES.listener, at("ingress"), msg, true));
    }
    if (tls.certificate === undefined && !written(source, at("tls", "certificate"))) {
      out.push(
        source.report(
          APPMESH_RULES.listener,
          at("tls"),
          "needs the listener's certificate under App Mesh: add certificate (an ACM certificate issued by certificateAuthority)",
          true,
        ),
      );
    }
    const certRegion = typeof tls.certificate === "string" ? arnRegion(tls.certificate) : undefined;
    if (certRegion !== undefined && parts.region !== undefined && certRegion !== parts.region) {
      out.push(
        source.report(
          RULES.certificateRegion,
          at("tls", "certificate"),
          `is in ${certRegion}; Envoy exports its certificate from ACM in the stack's region, ${parts.region}: issue it there`,
        ),
      );
    }
  }
  return out;
};

/** Envoy listens on its own ports in every task: an app cannot take one of them. */
export const envoyPorts: Check = (parts, source) =>
  servicesOf(parts).flatMap(([name, s]): Diagnostic[] =>
    s.port !== undefined && RESERVED_PORTS.includes(s.port)
      ? [
          source.report(
            APPMESH_RULES.reservedPort,
            ["services", name, "port"],
            `must not be ${RESERVED_PORTS.join(", ")} (the Envoy sidecar's admin, ingress and egress ports), got ${s.port}`,
          ),
        ]
      : [],
  );

/** The ingress gateway's IAM roles fit AWS's 64 characters (the service's own roles are the core's to check). */
export const gatewayNames: Check = (parts, source) => {
  const { environment, project, internalDomain } = parts;
  if (environment === undefined || project === undefined || internalDomain === undefined) return [];
  const env = environmentNames(environment, project, internalDomain);
  return servicesOf(parts).flatMap(([name, s]): Diagnostic[] => {
    if (!s.ingress) return [];
    const names = serviceNames(env, name);
    if ([names.executionRole, names.taskRole].some((r) => r.length > NAME_LIMITS.iamRole)) return []; // said already
    const gateway = appMeshNames(names);
    const long = [gateway.gatewayExecutionRole, gateway.gatewayTaskRole].find((r) => r.length > NAME_LIMITS.iamRole);
    return long ? [source.report(RULES.nameLength, ["services", name], roleTooLong(long, "service, project or environment"), true)] : [];
  });
};
