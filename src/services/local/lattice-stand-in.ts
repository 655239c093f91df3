/**
 * A stand-in for VPC Lattice on a laptop, for `npm run services -- --provider vpc-lattice` and the nothing-lost run:
 * one Lattice service in front of a service's versions, where users see it:
 * - authorization: a request without a valid SigV4 signature for `vpc-lattice-svcs` is refused with 403 (the
 *   service is AWS_IAM; the status and body of AWS's refusal, AccessDeniedException, are second-hand: unverified);
 * - routing: the listener rules meshform writes for the service (src/providers/vpc-lattice/routing.ts), in priority
 *   order, matching method, path and headers case-sensitively, then the default action; among a rule's target groups
 *   by weight; 404 where no rule takes the request and there is no default;
 * - no retries and no request timeout: a version that does not answer is the caller's to retry (502 when its
 *   connection fails; Lattice's own status there is unverified).
 * Chance comes from `random`, so tests count exactly where requests went.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { ResolvedService } from "../../config/model";
import { type ListenerRule, type RuleMatch, routing, type WeightedTargets } from "../../providers/vpc-lattice/routing";
import type { Logger } from "../shared/http";
import { type Credentials, verifySigV4 } from "../shared/signing";
import { passOn, send } from "./send";

export interface LatticeStandInOptions {
  /** The service behind it: its routes. */
  service: Pick<ResolvedService, "routes">;
  /** Where each version listens (undefined: the service without versions). */
  upstreams: ReadonlyMap<string | undefined, URL>;
  /** What a caller's signature must be made with. */
  auth: { service: string; region: string; credentials: Credentials };
  log?: Logger;
  random?: () => number;
}

/** What the stand-in did, for tests and the nothing-lost run. */
export interface LatticeCounts {
  /** Requests sent on, by version ("" for the service without versions). */
  forwarded: Map<string, number>;
  /** Requests refused for their signature. */
  refused: number;
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
};

function matches(m: RuleMatch, req: IncomingMessage, path: string): boolean {
  if (m.method && req.method !== m.method) return false;
  if (m.path && ("exact" in m.path ? path !== m.path.exact : !path.startsWith(m.path.prefix))) return false;
  return m.headers.every((h) => {
    const v = header(req, h.name.toLowerCase());
    return v !== undefined && ("exact" in h.match ? v === h.match.exact : v.startsWith(h.match.prefix));
  });
}

/** A target group by weight: uniform over the weights' sum, a weight of 0 never. */
function pick(targets: WeightedTargets, random: () => number): string | undefined | null {
  const total = targets.reduce((n, t) => n + t.weight, 0);
  let at = random() * total;
  for (const t of targets) {
    if (t.weight > 0 && at < t.weight) return t.version;
    at -= t.weight;
  }
  return null;
}

export function createLatticeStandIn(options: LatticeStandInOptions): Server & { counts: LatticeCounts } {
  const { rules, fallback } = routing(options.service);
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => {});
  const counts: LatticeCounts = { forwarded: new Map(), refused: 0 };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const denied = await verifySigV4({ method: req.method ?? "GET", url, headers: req.headers }, options.auth);
    if (denied) {
      counts.refused++;
      log({ event: "access-denied", path: url.pathname, reason: denied });
      res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ message: `AccessDeniedException: ${denied}` }));
      return;
    }
    const rule: Pick<ListenerRule, "targets"> | undefined =
      rules.find((r) => matches(r.match, req, url.pathname)) ?? ("targets" in fallback ? fallback : undefined);
    const version = rule ? pick(rule.targets, random) : null;
    const upstream = version === null ? undefined : options.upstreams.get(version);
    if (!upstream) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "no rule takes this request" }));
      return;
    }
    counts.forwarded.set(version ?? "", (counts.forwarded.get(version ?? "") ?? 0) + 1);
    // The signature was Lattice's to check; the service behind it gets the request without it.
    const { authorization: _a, "x-amz-date": _d, "x-amz-content-sha256": _c, "x-amz-security-token": _t, ...headers } = req.headers;
    const answer = await send(
      new URL(url.pathname + url.search, upstream),
      req.method ?? "GET",
      { ...headers, host: upstream.host },
      Buffer.concat(chunks),
    );
    if ("error" in answer) {
      res.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ message: `target unreachable: ${answer.error}` }));
      return;
    }
    const [status, passed, body] = passOn(answer);
    res.writeHead(status, passed).end(body);
  });
  return Object.assign(server, { counts });
}
