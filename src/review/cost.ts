/**
 * The monthly Fargate compute of an environment: vCPU-hours and GB-hours of every task (desired count ×
 * task size, per version), split into the app's share and the sidecars' (Envoy and X-Ray under App Mesh, the
 * injected proxy and X-Ray under Service Connect), priced from prices.ts where its region has a price.
 */
import type { ResolvedEnvironment } from "../config/model";
import { sidecarShare } from "../config/model";
import { FARGATE_ON_DEMAND, HOURS_PER_MONTH, PRICES_AS_OF } from "./prices";

export interface EnvironmentCost {
  env: string;
  region: string;
  /** vCPU-hours and GB-hours a month, all tasks. */
  vcpuHours: number;
  gbHours: number;
  /** The sidecars' part of those hours, in %. */
  sidecarShare: { cpu: number; memory: number };
  /** USD a month on demand (x86, the task definitions' architecture), or why there is none. */
  usd: number | { unknown: string };
  /** Tasks placed on FARGATE_SPOT are priced as on demand (Spot has no fixed price): said when any may be. */
  spotNote?: string;
}

export function environmentCost(env: ResolvedEnvironment): EnvironmentCost {
  let vcpu = 0;
  let gb = 0;
  let sideVcpu = 0;
  let sideGb = 0;
  for (const s of env.services) {
    const tasks = s.versions.reduce((n, v) => n + v.desiredCount, 0);
    const side = sidecarShare(s);
    vcpu += (tasks * s.task.cpu) / 1024;
    gb += (tasks * s.task.memory) / 1024;
    sideVcpu += (tasks * side.cpu) / 1024;
    sideGb += (tasks * side.memory) / 1024;
  }
  const rate = FARGATE_ON_DEMAND[env.region]?.x86;
  const vcpuHours = vcpu * HOURS_PER_MONTH;
  const gbHours = gb * HOURS_PER_MONTH;
  const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10);
  return {
    env: env.name,
    region: env.region,
    vcpuHours,
    gbHours,
    sidecarShare: { cpu: percent(sideVcpu, vcpu), memory: percent(sideGb, gb) },
    usd: rate
      ? vcpuHours * rate.vcpuHour + gbHours * rate.gbHour
      : { unknown: `no Fargate price for ${env.region} in src/review/prices.ts (as of ${PRICES_AS_OF})` },
    ...(env.cluster.fargateSpotWeight > 0 && {
      spotNote: "some tasks may run on FARGATE_SPOT, priced here as on demand (Spot prices change by the hour)",
    }),
  };
}

export const formatUsd = (usd: EnvironmentCost["usd"]) =>
  typeof usd === "number" ? `$${usd.toFixed(2)}` : `price unknown: ${usd.unknown}`;

/** One line: the month's compute, the sidecars' share, the price, and the change from `before` when given. */
export function renderCost(after: EnvironmentCost, before?: EnvironmentCost): string {
  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  const hoursChanged = before && (n(before.vcpuHours) !== n(after.vcpuHours) || n(before.gbHours) !== n(after.gbHours));
  const hours = `${n(after.vcpuHours)} vCPU-hours and ${n(after.gbHours)} GB-hours a month${hoursChanged ? ` (was ${n(before!.vcpuHours)} and ${n(before!.gbHours)})` : ""}`;
  const share = `sidecars take ${after.sidecarShare.cpu}% of the CPU and ${after.sidecarShare.memory}% of the memory`;
  let price = typeof after.usd === "number" ? `${formatUsd(after.usd)} a month on demand` : formatUsd(after.usd);
  if (before && typeof before.usd === "number" && typeof after.usd === "number" && before.usd !== after.usd) {
    const delta = after.usd - before.usd;
    price += ` (${delta > 0 ? "+" : "-"}$${Math.abs(delta).toFixed(2)}, was ${formatUsd(before.usd)})`;
  }
  return `**Fargate compute**: ${hours}; ${share}; ${price}${after.spotNote ? `; ${after.spotNote}` : ""}`;
}
