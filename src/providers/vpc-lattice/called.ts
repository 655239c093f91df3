/**
 * Who calls whom: the services that name a service in `backends` are the only ones its auth policy lets in, and a
 * service nothing calls gets no Lattice service (no one could be allowed to call it, and each is billed by the hour).
 */
import type { ResolvedEnvironment, ResolvedService } from "../../config/model";

/** Each service's callers, by name, in file order. */
export const callersOf = (env: ResolvedEnvironment): Map<string, string[]> =>
  new Map(env.services.map((s) => [s.name, env.services.filter((c) => c.backends.some((b) => b.service === s.name)).map((c) => c.name)]));

/** The services some other service calls: those that get a Lattice service. */
export const calledServices = (env: ResolvedEnvironment): ResolvedService[] => {
  const callers = callersOf(env);
  return env.services.filter((s) => (callers.get(s.name) ?? []).length > 0);
};
