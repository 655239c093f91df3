/** A user's `environment` may not set a variable meshform sets itself: it would be silently overwritten. */

import { managedVariables } from "../app-environment";
import { RULES } from "../rules";
import { type Check, servicesOf } from "./check";

export const reservedVariables: Check = (parts, source, { provider }) => {
  return servicesOf(parts).flatMap(([name, s]) => {
    const backends = s.backends ?? [];
    const managed = managedVariables(name, backends, s.deadLetterQueue ?? false, s.externalBackends ?? []);
    for (const b of backends) for (const [v, why] of provider?.backendVariableNames(b) ?? []) managed.set(v, why);
    return Object.keys(s.environment ?? {})
      .filter((key) => managed.has(key))
      .map((key) =>
        source.report(
          RULES.reservedVariable,
          ["services", name, "environment", key],
          `is set by meshform: ${managed.get(key)}; remove it from environment`,
          true,
        ),
      );
  });
};
