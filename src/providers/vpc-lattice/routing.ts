/**
 * A service's routes as VPC Lattice listener rules, as plain data (the stack writes them, the checks count them,
 * tests read them): one rule per route, in the route's priority, matching its method, path and headers, and
 * forwarding to its versions' target groups with its weights; the listener's default action takes what no rule
 * does. A route that matches every request and comes last becomes that default action (no rule spent on it);
 * otherwise the default answers 404, as App Mesh's Envoy does when no route matches.
 *
 * Lattice's matches are case-insensitive unless told otherwise ("Header name and match evaluation is not case
 * sensitive by default": user guide, listener-rules.html); routes match as App Mesh's do, case-sensitively, so
 * every match here says so. What Lattice cannot match (query parameters, regular expressions, suffixes, ranges,
 * inversions, more than 5 headers) is refused before this runs (the capability table).
 */
import type { ResolvedRoute, ResolvedService } from "../../config/model";
import { ruleName } from "./facts";

export type HeaderRule = { name: string; match: { exact: string } | { prefix: string } };

export interface RuleMatch {
  method?: string;
  path?: { exact: string } | { prefix: string };
  headers: HeaderRule[];
}

/** Versions and their weights (an unnamed version: the service without versions). */
export type WeightedTargets = { version?: string; weight: number }[];

export interface ListenerRule {
  name: string;
  priority: number;
  match: RuleMatch;
  targets: WeightedTargets;
}

export interface Routing {
  rules: ListenerRule[];
  /** What the listener does with a request no rule takes. */
  fallback: { targets: WeightedTargets } | { status: 404 };
}

/** Whether a route takes every request: no method, no header, no path but the prefix "/". */
const takesAll = (r: ResolvedRoute) =>
  r.match.path === undefined &&
  (r.match.prefix ?? "/") === "/" &&
  r.match.method === undefined &&
  r.match.headers.length === 0 &&
  r.match.queryParameters.length === 0;

function ruleMatch(r: ResolvedRoute): RuleMatch {
  const headers = r.match.headers.flatMap((h): HeaderRule[] =>
    h.match && ("exact" in h.match || "prefix" in h.match) ? [{ name: h.name, match: h.match }] : [],
  );
  // A regular expression is refused before this runs (the capability table): a path is exact, or a prefix.
  const path = r.match.path && "exact" in r.match.path ? { exact: r.match.path.exact } : { prefix: r.match.prefix ?? "/" };
  // A rule needs a condition: the prefix "/" is written only when nothing else is matched.
  const everyPath = "prefix" in path && path.prefix === "/";
  return {
    ...(r.match.method && { method: r.match.method }),
    ...((!everyPath || (r.match.method === undefined && headers.length === 0)) && { path }),
    headers,
  };
}

export function routing(s: Pick<ResolvedService, "routes">): Routing {
  const ordered = [...s.routes].sort((a, b) => a.priority - b.priority);
  const last = ordered.at(-1);
  const fallback = last && takesAll(last) ? ordered.pop()! : undefined;
  return {
    rules: ordered.map((r) => ({ name: ruleName(r.name), priority: r.priority, match: ruleMatch(r), targets: r.targets })),
    fallback: fallback ? { targets: fallback.targets } : { status: 404 },
  };
}
