/** Backends name services of the same file, once each, and never the service itself; external backends name externalServices. */
import type { Diagnostic } from "../diagnostics";
import { RULES } from "../rules";
import { closest } from "../suggest";
import { type Check, servicesOf } from "./check";

export const backendsExist: Check = (parts, source) => {
  const known = parts.serviceNames;
  const knownSet = new Set(known);
  return servicesOf(parts).flatMap(([name, s]) =>
    (s.backends ?? []).flatMap((backend, i, backends): Diagnostic[] => {
      const path = ["services", name, "backends", i];
      if (backend === name) return [source.report(RULES.backend, path, `a service cannot be its own backend ("${name}")`)];
      if (backends.indexOf(backend) !== i) return [source.report(RULES.backend, path, `"${backend}" is listed twice`)];
      if (knownSet.has(backend)) return [];
      const guess = closest(backend, known);
      const hint = guess ? `did you mean "${guess}"? ` : "";
      return [source.report(RULES.backend, path, `unknown service "${backend}"; ${hint}services in this file: ${known.join(", ")}`)];
    }),
  );
};

export const externalBackendsExist: Check = (parts, source) => {
  const known = Object.keys(parts.externalServices ?? {});
  const out: Diagnostic[] = [];
  for (const name of known) {
    if (parts.serviceNames.includes(name)) {
      out.push(
        source.report(
          RULES.externalBackend,
          ["externalServices", name],
          `"${name}" names a service of this file too; give the external one another name`,
          true,
        ),
      );
    }
  }
  for (const [name, s] of servicesOf(parts)) {
    (s.externalBackends ?? []).forEach((e, i, all) => {
      const path = ["services", name, "externalBackends", i];
      if (all.indexOf(e) !== i) out.push(source.report(RULES.externalBackend, path, `"${e}" is listed twice`));
      else if (!known.includes(e)) {
        const guess = closest(e, known);
        const listed = known.length > 0 ? `externalServices: ${known.join(", ")}` : "this file declares no externalServices";
        out.push(
          source.report(
            RULES.externalBackend,
            path,
            `unknown external service "${e}"; ${guess ? `did you mean "${guess}"? ` : ""}${listed}`,
          ),
        );
      }
    });
  }
  return out;
};
