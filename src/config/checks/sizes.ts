/** Fargate accepts the task's CPU/memory pair, and the provider's and tracing sidecars leave the app enough of it. */

import type { Diagnostic } from "../diagnostics";
import { describeFargateMemory, FARGATE_MEMORY_BY_CPU } from "../limits";
import { reservations } from "../model";
import { RULES } from "../rules";
import { type Check, servicesOf } from "./check";

/** Smallest share of a task the app container must keep once the sidecars have theirs. */
export const MIN_APP = { cpu: 64, memory: 128 } as const;

const listed = (shares: { what: string; n: number }[]) => shares.map((s) => `${s.what} (${s.n})`).join(" and ");

export const fargateSizes: Check = (parts, source, { provider }) => {
  const environmentShares = provider && reservations(parts, provider);
  return servicesOf(parts).flatMap(([name, s]): Diagnostic[] => {
    if (s.cpu === undefined || s.memory === undefined) return [];
    // The service's own sidecars come out of its task too, each by name.
    const own = Object.entries(s.sidecars ?? {}).map(([sidecar, c]) => ({
      what: `the sidecar ${sidecar}`,
      cpu: c?.cpu ?? 0,
      memory: c?.memory ?? 0,
    }));
    const shares = environmentShares && [...environmentShares, ...own];
    const taken = shares && { cpu: shares.reduce((n, r) => n + r.cpu, 0), memory: shares.reduce((n, r) => n + r.memory, 0) };
    if (!FARGATE_MEMORY_BY_CPU[s.cpu]?.includes(s.memory)) {
      const allowed = describeFargateMemory(s.cpu);
      return [
        source.report(
          RULES.fargateSize,
          ["services", name, "memory"],
          `${s.memory} MiB is not a Fargate size with cpu ${s.cpu}; allowed: ${allowed}`,
        ),
      ];
    }
    if (!shares || !taken) return [];
    const out: Diagnostic[] = [];
    if (s.cpu - taken.cpu < MIN_APP.cpu) {
      const by = listed(shares.map((r) => ({ what: r.what, n: r.cpu })));
      out.push(
        source.report(
          RULES.fargateSize,
          ["services", name, "cpu"],
          `${s.cpu} CPU units leave ${s.cpu - taken.cpu} for the app after ${by}; the app needs at least ${MIN_APP.cpu}`,
        ),
      );
    }
    if (s.memory - taken.memory < MIN_APP.memory) {
      const by = listed(shares.map((r) => ({ what: r.what, n: r.memory })));
      out.push(
        source.report(
          RULES.fargateSize,
          ["services", name, "memory"],
          `${s.memory} MiB leave ${s.memory - taken.memory} MiB for the app after ${by}; the app needs at least ${MIN_APP.memory}`,
        ),
      );
    }
    return out;
  });
};
