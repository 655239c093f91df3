/**
 * The mesh as a Mermaid graph: services, their backends (with retries, and whether calls are signed), versions with
 * the share of each route they get and what the route matches, ways in and out.
 */
import type { ResolvedEnvironment, ResolvedRoute, RouteMatch } from "../config/model";
import { providerOf } from "../providers";

const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_");
const label = (text: string) => `"${text.replace(/"/g, "#quot;")}"`;

/** A header's value as matched: `true`, `acme-*` (prefix), `*-eu` (suffix), `~re` (regex), `[1,5)` (range), `*` (present). */
function headerValue(match: RouteMatch["headers"][number]["match"]): string {
  if (!match) return "*";
  if ("exact" in match) return match.exact;
  if ("prefix" in match) return `${match.prefix}*`;
  if ("suffix" in match) return `*${match.suffix}`;
  if ("regex" in match) return `~${match.regex}`;
  return `[${match.range.start},${match.range.end})`;
}

/** What a route matches, briefly: `POST /orders`, `/legacy*`, `x-beta-user=true & x-tenant=acme-*`; nothing for every request. */
export function describeMatch(m: RouteMatch): string {
  const path = m.path ? ("exact" in m.path ? m.path.exact : `~${m.path.regex}`) : m.prefix && m.prefix !== "/" ? `${m.prefix}*` : "";
  const headers = m.headers.map((h) => `${h.name}${h.invert ? "!=" : "="}${headerValue(h.match)}`).join(" & ");
  const query = m.queryParameters.map((q) => `?${q.name}=${q.exact}`).join(" ");
  return [m.method, path, headers, query].filter(Boolean).join(" ");
}

/** A version's share of a route, in % of the route's weights (0.1 % at the finest). */
function share(r: ResolvedRoute, weight: number): string {
  const total = r.targets.reduce((n, t) => n + t.weight, 0);
  return `${total === 0 ? 0 : Math.round((1000 * weight) / total) / 10}%`;
}

export function mermaid(env: ResolvedEnvironment): string {
  const provider = providerOf(env.mesh.provider);
  const lines = ["graph LR"];
  for (const s of env.services) {
    lines.push(`  ${id(s.name)}[${label(`${s.name}<br/>:${s.port} × ${s.versions.reduce((n, v) => n + v.desiredCount, 0)}`)}]`);
    if (s.ingress) {
      const nlb = `${id(`${s.name}_ingress`)}((${label(`${s.ingress.scheme} NLB :${s.ingress.port}`)}))`;
      // Under App Mesh the load balancer reaches a virtual gateway, which routes to the service.
      if (provider.supports("ingressGateway"))
        lines.push(`  ${nlb} --> ${id(`${s.name}_gateway`)}[[${label("virtual gateway")}]] --> ${id(s.name)}`);
      else lines.push(`  ${nlb} --> ${id(s.name)}`);
    }
    if (s.versions.length > 1 || s.versions[0]!.name !== undefined) {
      for (const v of s.versions) {
        const weights = s.routes.flatMap((r) =>
          r.targets
            .filter((t) => t.version === v.name)
            .map((t) => {
              const match = describeMatch(r.match);
              return `${r.name ?? "route"}${match ? ` (${match})` : ""} ${share(r, t.weight)}`;
            }),
        );
        lines.push(
          `  ${id(s.name)} -->|${label(weights.join(", ") || "no traffic")}| ${id(`${s.name}_${v.name}`)}[${label(`${v.name} (${v.imageTag ?? "no image yet"}) × ${v.desiredCount}`)}]`,
        );
      }
    }
    // Calls signed with SigV4 (VPC Lattice) say so: the backend's auth policy lets in this caller's role.
    const signed = provider.supports("signedCalls") ? ", signed" : "";
    for (const b of s.backends) {
      const p = b.retryPolicy;
      lines.push(
        `  ${id(s.name)} -->|${label(`${p ? `${p.maxRetries} retries × ${p.perRetryTimeoutMs / 1000}s, ${b.timeoutMs / 1000}s in all` : `no retries, ${b.timeoutMs / 1000}s`}${signed}`)}| ${id(b.service)}`,
      );
    }
    for (const e of s.externalBackends) lines.push(`  ${id(s.name)} -.-> ${id(`external_${e.name}`)}{{${label(`${e.host}:${e.port}`)}}}`);
  }
  return lines.join("\n");
}
