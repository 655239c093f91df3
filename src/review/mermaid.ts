/** The mesh as a Mermaid graph: services, their backends (with retries), versions with their weights, ways in and out. */
import type { ResolvedEnvironment } from "../config/model";
import { providerOf } from "../providers";

const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_");
const label = (text: string) => `"${text.replace(/"/g, "#quot;")}"`;

export function mermaid(env: ResolvedEnvironment): string {
  const lines = ["graph LR"];
  for (const s of env.services) {
    lines.push(`  ${id(s.name)}[${label(`${s.name}<br/>:${s.port} × ${s.versions.reduce((n, v) => n + v.desiredCount, 0)}`)}]`);
    if (s.ingress) {
      const nlb = `${id(`${s.name}_ingress`)}((${label(`${s.ingress.scheme} NLB :${s.ingress.port}`)}))`;
      // Under App Mesh the load balancer reaches a virtual gateway, which routes to the service.
      if (providerOf(env.mesh.provider).supports("ingressGateway"))
        lines.push(`  ${nlb} --> ${id(`${s.name}_gateway`)}[[${label("virtual gateway")}]] --> ${id(s.name)}`);
      else lines.push(`  ${nlb} --> ${id(s.name)}`);
    }
    if (s.versions.length > 1 || s.versions[0]!.name !== undefined) {
      for (const v of s.versions) {
        const weights = s.routes.flatMap((r) =>
          r.targets.filter((t) => t.version === v.name).map((t) => `${r.name ?? "route"} ${t.weight}%`),
        );
        lines.push(
          `  ${id(s.name)} -->|${label(weights.join(", ") || "no traffic")}| ${id(`${s.name}_${v.name}`)}[${label(`${v.name} (${v.imageTag ?? "no image yet"}) × ${v.desiredCount}`)}]`,
        );
      }
    }
    for (const b of s.backends) {
      const p = b.retryPolicy;
      lines.push(
        `  ${id(s.name)} -->|${label(p ? `${p.maxRetries} retries × ${p.perRetryTimeoutMs / 1000}s, ${b.timeoutMs / 1000}s in all` : `no retries, ${b.timeoutMs / 1000}s`)}| ${id(b.service)}`,
      );
    }
    for (const e of s.externalBackends) lines.push(`  ${id(s.name)} -.-> ${id(`external_${e.name}`)}{{${label(`${e.host}:${e.port}`)}}}`);
  }
  return lines.join("\n");
}
