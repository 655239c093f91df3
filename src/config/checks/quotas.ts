/**
 * App Mesh's default quotas (Service Quotas, service code `appmesh`). They can be raised on request, so
 * exceeding one is a warning. meshform makes one virtual node, router and service per service.
 */
import type { Diagnostic } from "../diagnostics";
import { type Check, servicesOf } from "./check";

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
  const services = servicesOf(parts);
  const { perMesh, backendsPerNode, envoysPerNode } = APPMESH_QUOTAS;
  if (parts.serviceNames.length > perMesh.value) {
    const msg = `${parts.serviceNames.length} services need as many virtual nodes, routers and services; App Mesh allows ${perMesh.value} of each per mesh by default (quotas ${perMesh.codes}): request an increase before deploying`;
    out.push(source.diagnostic(["services"], msg, "warning", true));
  }
  for (const [name, s] of services) {
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
