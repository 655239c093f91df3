/** Backends name services of the same file, once each, and never the service itself. */
import type { Diagnostic } from "../diagnostics";
import { closest } from "../suggest";
import { type Check, servicesOf } from "./check";

export const backendsExist: Check = (parts, source) => {
  const known = parts.serviceNames;
  const knownSet = new Set(known);
  return servicesOf(parts).flatMap(([name, s]) =>
    (s.backends ?? []).flatMap((backend, i, backends): Diagnostic[] => {
      const path = ["services", name, "backends", i];
      if (backend === name) return [source.diagnostic(path, `a service cannot be its own backend ("${name}")`)];
      if (backends.indexOf(backend) !== i) return [source.diagnostic(path, `"${backend}" is listed twice`)];
      if (knownSet.has(backend)) return [];
      const guess = closest(backend, known);
      const hint = guess ? `did you mean "${guess}"? ` : "";
      return [source.diagnostic(path, `unknown service "${backend}"; ${hint}services in this file: ${known.join(", ")}`)];
    }),
  );
};
