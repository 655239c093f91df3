/** A user's `environment` may not set a variable meshform sets itself: it would be silently overwritten. */
import { managedVariables } from "../app-environment";
import { type Check, servicesOf } from "./check";

export const reservedVariables: Check = (parts, source) =>
  servicesOf(parts).flatMap(([name, s]) => {
    const managed = managedVariables(name, s.backends ?? []);
    return Object.keys(s.environment ?? {})
      .filter((key) => managed.has(key))
      .map((key) =>
        source.diagnostic(["services", name, "environment", key], `is set by meshform: ${managed.get(key)}; remove it from environment`, "error", true),
      );
  });
