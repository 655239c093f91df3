/** Routes and versions: each route sends to versions that exist, in an order of its own. */

import type { Diagnostic } from "../diagnostics";
import { NAME_LIMITS } from "../limits";
import { RULES } from "../rules";
import { type Check, servicesOf, written } from "./check";

export const routesAndVersions: Check = (parts, source, { provider }) => {
  const out: Diagnostic[] = [];
  // A provider without versions refuses them and routes outright (the capability table says so): nothing more to say of them.
  if (provider && !provider.supports("versions")) return out;
  for (const [name, s] of servicesOf(parts)) {
    const at = (...path: (string | number)[]) => ["services", name, ...path];
    const versions = s.versions ? Object.keys(s.versions) : undefined;
    for (const v of versions ?? []) {
      const label = `${name}-${v}`;
      if (label.length > NAME_LIMITS.dnsLabel) {
        out.push(
          source.report(
            RULES.nameLength,
            at("versions", v),
            `makes the Cloud Map service name "${label}" ${label.length} characters long; DNS labels allow ${NAME_LIMITS.dnsLabel}: shorten the version or service name`,
            true,
          ),
        );
      }
    }
    if (written(source, at("routes")) && written(source, at("route"))) {
      out.push(
        source.report(
          RULES.routes,
          at("route"),
          "is the one-route shorthand, and routes are given too: keep one (move its timeout and retryPolicy into the routes)",
          true,
        ),
      );
    }
    const routes = s.routes;
    if (routes === undefined) {
      if (versions !== undefined)
        out.push(
          source.report(
            RULES.routes,
            at("versions"),
            "need routes that say how traffic splits between them: add routes, each with to, e.g. to: { v1: 90, v2: 10 }",
            true,
          ),
        );
      continue;
    }
    const seen = { priority: new Map<number, string>(), name: new Set<string>() };
    const sentTo = new Set<string>();
    routes.forEach((r, i) => {
      const here = (...path: (string | number)[]) => at("routes", i, ...path);
      if (seen.name.has(r.name))
        out.push(
          source.report(RULES.routes, here("name"), `"${r.name}" names another route of ${name} already; each route needs its own name`),
        );
      seen.name.add(r.name);
      const other = seen.priority.get(r.priority);
      if (other !== undefined)
        out.push(
          source.report(
            RULES.routes,
            here("priority"),
            `${r.priority} is route "${other}"'s priority too; give each route of ${name} its own`,
          ),
        );
      else seen.priority.set(r.priority, r.name);
      if (r.to === undefined) {
        if (versions !== undefined)
          out.push(source.report(RULES.routes, here(), `must say which versions it sends to: add to, e.g. to: { ${versions[0]}: 100 }`));
        return;
      }
      if (versions === undefined) {
        out.push(source.report(RULES.routes, here("to"), `names versions, but ${name} declares none: add versions, or remove to`, true));
        return;
      }
      for (const [v, weight] of Object.entries(r.to)) {
        if (!versions.includes(v))
          out.push(source.report(RULES.routes, here("to", v), `unknown version "${v}"; versions of ${name}: ${versions.join(", ")}`, true));
        else if (weight > 0) sentTo.add(v);
      }
      if (Object.values(r.to).every((w) => w === 0))
        out.push(source.report(RULES.routes, here("to"), "must give at least one version a weight above 0"));
    });
    for (const v of versions ?? []) {
      if (!sentTo.has(v))
        out.push(
          source.report(
            RULES.idleVersion,
            at("versions", v),
            `gets no traffic: no route sends to it with a weight above 0, yet its tasks run`,
            true,
          ),
        );
    }
  }
  return out;
};
