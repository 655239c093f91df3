/** Fargate accepts the task's CPU/memory pair, and the sidecars leave the app enough of it. */
import type { Diagnostic } from "../diagnostics";
import { describeFargateMemory, FARGATE_MEMORY_BY_CPU } from "../limits";
import { type Check, servicesOf } from "./check";

/** Smallest share of a task the app container must keep once the sidecars have theirs. */
export const MIN_APP = { cpu: 64, memory: 128 } as const;

export const fargateSizes: Check = (parts, source) => {
  const { envoy, xray } = parts.mesh ?? {};
  const sidecars =
    envoy?.cpu !== undefined && envoy.memory !== undefined && xray?.cpu !== undefined && xray.memory !== undefined
      ? { cpu: envoy.cpu + xray.cpu, memory: envoy.memory + xray.memory, envoy: { cpu: envoy.cpu, memory: envoy.memory }, xray: { cpu: xray.cpu, memory: xray.memory } }
      : undefined;
  return servicesOf(parts).flatMap(([name, s]): Diagnostic[] => {
    if (s.cpu === undefined || s.memory === undefined) return [];
    if (!FARGATE_MEMORY_BY_CPU[s.cpu]?.includes(s.memory)) {
      const allowed = describeFargateMemory(s.cpu);
      return [source.diagnostic(["services", name, "memory"], `${s.memory} MiB is not a Fargate size with cpu ${s.cpu}; allowed: ${allowed}`)];
    }
    if (!sidecars) return [];
    const out: Diagnostic[] = [];
    if (s.cpu - sidecars.cpu < MIN_APP.cpu) {
      const msg = `${s.cpu} CPU units leave ${s.cpu - sidecars.cpu} for the app after the Envoy (${sidecars.envoy.cpu}) and X-Ray (${sidecars.xray.cpu}) sidecars; the app needs at least ${MIN_APP.cpu}`;
      out.push(source.diagnostic(["services", name, "cpu"], msg));
    }
    if (s.memory - sidecars.memory < MIN_APP.memory) {
      const msg = `${s.memory} MiB leave ${s.memory - sidecars.memory} MiB for the app after the Envoy (${sidecars.envoy.memory}) and X-Ray (${sidecars.xray.memory}) sidecars; the app needs at least ${MIN_APP.memory}`;
      out.push(source.diagnostic(["services", name, "memory"], msg));
    }
    return out;
  });
};
