/**
 * The monthly Fargate compute of an environment: vCPU-hours and GB-hours of every task (desired count × task
 * size), the sidecars' share of them, and the price where prices.ts has one for the region and architecture.
 *
 * The review reads it from the stack's JSON (stackCost), so a base given as a directory of stacks is priced as
 * well as the change, gateways and per-version services included, each task definition at its own
 * architecture, and the share the capacity provider weights put on FARGATE_SPOT estimated apart. `explain`
 * reads it from the model (environmentCost). A region without a price says so and keeps the hours.
 */

import type { ResolvedEnvironment } from "../config/model";
import { sidecarShare } from "../config/model";
import { providerOf } from "../providers";
import { scalingOfStack } from "../terraform/operate-json";
import type { Json } from "./diff";
import { FINDINGS, type Finding } from "./findings";
import { type Architecture, FARGATE, HOURS_PER_MONTH, PROVIDER_PRICES, SPOT_SOURCE } from "./prices";
import { parseJson, referenced, resources } from "./stack";

export interface EnvironmentCost {
  env: string;
  region: string;
  /** vCPU-hours and GB-hours a month, all tasks. */
  vcpuHours: number;
  gbHours: number;
  /** The sidecars' part of those hours, in % (tasks without an app container, such as gateways, count whole). */
  sidecarShare: { cpu: number; memory: number };
  /** USD a month with every task on demand, or why there is no price. */
  usd: number | { unknown: string };
  /** The prices used and where they come from: `eu-west-1 x86 $0.04048 per vCPU-hour and …; source, as of date`. */
  priceText?: string;
  /** Tasks the capacity provider weights put on FARGATE_SPOT (an expectation: ECS spreads by weight), and their effect. */
  spot?: { tasks: number; of: number; usd?: number };
  /** From the model, which does not say how tasks are spread: said when any may run on Spot. */
  spotNote?: string;
  /** With every scaled service at the top of its range (scaling's max_capacity), when any scales: USD a month on demand. */
  atMaxUsd?: number;
  /** What the provider itself is billed (VPC Lattice's services, by the hour, and the traffic through them). */
  provider?: ProviderCost;
}

/** A provider's own charges a month: the hours of what it bills, priced where prices.ts has the region. */
export interface ProviderCost {
  what: string;
  units: number;
  hours: number;
  /** The hours' price a month (traffic is billed on top), or why there is none. */
  usd: number | { unknown: string };
  /** The traffic rates, the source and its date. */
  priceText?: string;
}

/** Task hours a month of one architecture, and the part expected on Spot. */
interface Usage {
  arch: Architecture;
  vcpuHours: number;
  gbHours: number;
  spotVcpuHours: number;
  spotGbHours: number;
}

const usd = (n: number) =>
  `$${n
    .toFixed(n < 0.1 ? 6 : 2)
    .replace(/0+$/, "")
    .replace(/\.$/, "")}`;

/** The month's price of `usage` in `region`, on demand and with the Spot share at Spot's price, or why there is none. */
function priced(region: string, usage: readonly Usage[]): Pick<EnvironmentCost, "usd" | "priceText"> & { spotUsd?: number } {
  const prices = FARGATE[region];
  if (!prices) return { usd: { unknown: `no Fargate price for ${region} in src/review/prices.ts` } };
  let total = 0;
  let withSpot = 0;
  let spotKnown = true;
  const used = new Set<Architecture>();
  for (const u of usage) {
    const rate = prices.onDemand[u.arch];
    if (!rate) return { usd: { unknown: `no ${u.arch} Fargate price for ${region} in src/review/prices.ts` } };
    used.add(u.arch);
    const onDemand = u.vcpuHours * rate.vcpuHour + u.gbHours * rate.gbHour;
    total += onDemand;
    if (u.spotVcpuHours > 0) {
      // Spot figures are x86 only; ARM Spot tasks are left at on-demand, so the estimate errs high.
      const spot = u.arch === "x86" ? prices.spot : undefined;
      if (!spot) spotKnown = false;
      else
        withSpot +=
          onDemand -
          (u.spotVcpuHours * rate.vcpuHour + u.spotGbHours * rate.gbHour) +
          u.spotVcpuHours * spot.vcpuHour +
          u.spotGbHours * spot.gbHour;
    } else withSpot += onDemand;
  }
  const rates = [...used]
    .sort()
    .map((a) => `${a} ${usd(prices.onDemand[a]!.vcpuHour)} per vCPU-hour and ${usd(prices.onDemand[a]!.gbHour)} per GB-hour`)
    .join(", ");
  return {
    usd: total,
    priceText: `${region}${rates ? ` ${rates}` : ""}; ${prices.source}, as of ${prices.asOf}`,
    ...(spotKnown && usage.some((u) => u.spotVcpuHours > 0) && { spotUsd: withSpot }),
  };
}

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10);

/** A rate: cents as written ($0.10), fractions of a cent to the mill ($0.025). */
const money = (n: number) => `$${n < 0.1 ? n.toFixed(3).replace(/0+$/, "") : n.toFixed(2)}`;

/** `units` of `resource` (a provider's billed resource) in `region`, a month. */
function providerCost(resource: string, units: number, region: string): ProviderCost | undefined {
  const table = PROVIDER_PRICES[resource];
  if (!table || units === 0) return undefined;
  const hours = units * HOURS_PER_MONTH;
  const p = table.prices[region];
  if (!p) return { what: table.what, units, hours, usd: { unknown: `no ${table.what} price for ${region} in src/review/prices.ts` } };
  return {
    what: table.what,
    units,
    hours,
    usd: hours * p.hour,
    priceText:
      `${money(p.hour)} an hour each; traffic adds ${money(p.perGb)} per GB processed and ${money(p.perMillionRequests)} per million requests ` +
      `beyond ${p.freeRequestsPerHour.toLocaleString("en-US")} an hour each (${region}; ${p.source}, as of ${p.asOf}${p.unverified ? `; unverified: ${p.unverified}` : ""})`,
  };
}

/** From the model (`explain`): every service's versions at their task size, all x86 (the task definitions' architecture). */
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
  const [vcpuHours, gbHours] = [vcpu * HOURS_PER_MONTH, gb * HOURS_PER_MONTH];
  const { usd, priceText } = priced(env.region, [{ arch: "x86", vcpuHours, gbHours, spotVcpuHours: 0, spotGbHours: 0 }]);
  const billing = providerOf(env.mesh.provider).billing;
  const provider = billing && providerCost(billing.resource, billing.units(env), env.region);
  return {
    env: env.name,
    region: env.region,
    vcpuHours,
    gbHours,
    sidecarShare: { cpu: percent(sideVcpu, vcpu), memory: percent(sideGb, gb) },
    usd,
    ...(priceText && { priceText }),
    ...(env.cluster.fargateSpotWeight > 0 && {
      spotNote: "some tasks may run on FARGATE_SPOT, priced here as on demand (Spot prices change by the hour)",
    }),
    ...(provider && { provider }),
  };
}

/** Of `tasks`, how many a capacity provider strategy puts on FARGATE_SPOT: the bases first, the rest by weight. */
export function spotTasks(tasks: number, strategy: readonly Json[] | undefined): number {
  if (!strategy || strategy.length === 0) return 0;
  let left = tasks;
  let spot = 0;
  for (const s of strategy) {
    const base = Math.min(left, Number(s.base ?? 0));
    left -= base;
    if (s.capacity_provider === "FARGATE_SPOT") spot += base;
  }
  const weights = strategy.reduce((n, s) => n + Number(s.weight ?? 0), 0);
  const spotWeight = strategy.filter((s) => s.capacity_provider === "FARGATE_SPOT").reduce((n, s) => n + Number(s.weight ?? 0), 0);
  return weights === 0 ? spot : spot + (left * spotWeight) / weights;
}

/** From a synthesized stack: every ECS service's desired count of its task definition, at that definition's size and architecture. */
/** Adds a month of `tasks` tasks of a task definition, `spot` of them on Spot, to the hours of its architecture. */
function addUsage(usage: Map<Architecture, Usage>, task: Json, tasks: number, spot: number): void {
  const [cpu, memory] = [Number(task.cpu) / 1024, Number(task.memory) / 1024];
  const arch: Architecture = task.runtime_platform?.cpu_architecture === "ARM64" ? "arm" : "x86";
  const u = usage.get(arch) ?? { arch, vcpuHours: 0, gbHours: 0, spotVcpuHours: 0, spotGbHours: 0 };
  u.vcpuHours += tasks * cpu * HOURS_PER_MONTH;
  u.gbHours += tasks * memory * HOURS_PER_MONTH;
  u.spotVcpuHours += spot * cpu * HOURS_PER_MONTH;
  u.spotGbHours += spot * memory * HOURS_PER_MONTH;
  usage.set(arch, u);
}

export function stackCost(env: string, stack: Json): EnvironmentCost {
  const region: string = stack.provider?.aws?.[0]?.region ?? "an unknown region";
  const clusterStrategy = resources(stack, "aws_ecs_cluster_capacity_providers")[0]?.[1]?.default_capacity_provider_strategy as
    | Json[]
    | undefined;
  const usage = new Map<Architecture, Usage>();
  let [vcpu, gb, sideVcpu, sideGb, allTasks, allSpot] = [0, 0, 0, 0, 0, 0];
  // The top of each scaled service's range (Application Auto Scaling owns its count between min and max).
  const top = new Map(scalingOfStack(stack).map((r) => [r.ecsService, r.max]));
  const atMax = new Map<Architecture, Usage>();
  for (const [, service] of resources(stack, "aws_ecs_service")) {
    const task = referenced(stack, service.task_definition);
    const tasks = Number(service.desired_count ?? 0);
    const most = top.get(service.name) ?? tasks;
    if (task && most > 0) addUsage(atMax, task, most, 0);
    if (!task || tasks === 0) continue;
    const [cpu, memory] = [Number(task.cpu) / 1024, Number(task.memory) / 1024];
    const app = (parseJson(task.container_definitions) as Json[] | undefined)?.find((c) => c.name === "app");
    const spot = spotTasks(tasks, (service.capacity_provider_strategy as Json[] | undefined) ?? clusterStrategy);
    addUsage(usage, task, tasks, spot);
    vcpu += tasks * cpu;
    gb += tasks * memory;
    sideVcpu += tasks * (app ? cpu - Number(app.cpu ?? 0) / 1024 : cpu);
    sideGb += tasks * (app ? memory - Number(app.memoryReservation ?? app.memory ?? 0) / 1024 : memory);
    allTasks += tasks;
    allSpot += spot;
  }
  const { usd, priceText, spotUsd } = priced(region, [...usage.values()]);
  const highest = top.size > 0 ? priced(region, [...atMax.values()]).usd : undefined;
  const provider = Object.keys(PROVIDER_PRICES)
    .map((resource) => providerCost(resource, resources(stack, resource).length, region))
    .find((c) => c !== undefined);
  return {
    env,
    region,
    vcpuHours: vcpu * HOURS_PER_MONTH,
    gbHours: gb * HOURS_PER_MONTH,
    sidecarShare: { cpu: percent(sideVcpu, vcpu), memory: percent(sideGb, gb) },
    usd,
    ...(priceText && { priceText }),
    ...(allSpot > 0 && { spot: { tasks: allSpot, of: allTasks, ...(spotUsd !== undefined && { usd: spotUsd }) } }),
    ...(typeof highest === "number" && { atMaxUsd: highest }),
    ...(provider && { provider }),
  };
}

export const formatUsd = (usd: EnvironmentCost["usd"]) =>
  typeof usd === "number" ? `$${usd.toFixed(2)}` : `price unknown: ${usd.unknown}`;

/** The month's cost change, in dollars and percent, when both sides have a price. */
export function costDelta(after: EnvironmentCost, before: EnvironmentCost | undefined): { usd: number; percent?: number } | undefined {
  if (!before || typeof before.usd !== "number" || typeof after.usd !== "number") return undefined;
  const delta = after.usd - before.usd;
  return { usd: delta, ...(before.usd > 0 && { percent: (100 * delta) / before.usd }) };
}

const signed = (n: number, text: string) => `${n > 0 ? "+" : n < 0 ? "-" : "±"}${text}`;

/** One line: the month's compute, the sidecars' share, the price and its source, the change from `before`, the Spot estimate. */
export function renderCost(after: EnvironmentCost, before?: EnvironmentCost): string {
  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  const hoursChanged = before && (n(before.vcpuHours) !== n(after.vcpuHours) || n(before.gbHours) !== n(after.gbHours));
  const hours = `${n(after.vcpuHours)} vCPU-hours and ${n(after.gbHours)} GB-hours a month${hoursChanged ? ` (was ${n(before!.vcpuHours)} and ${n(before!.gbHours)})` : ""}`;
  const share = `sidecars take ${after.sidecarShare.cpu}% of the CPU and ${after.sidecarShare.memory}% of the memory`;
  let price = typeof after.usd === "number" ? `${formatUsd(after.usd)} a month on demand` : formatUsd(after.usd);
  const delta = costDelta(after, before);
  if (delta && Math.abs(delta.usd) >= 0.005) {
    const pct = delta.percent === undefined ? "" : `, ${signed(delta.percent, `${Math.abs(delta.percent).toFixed(1)}%`)}`;
    price += ` (${signed(delta.usd, `$${Math.abs(delta.usd).toFixed(2)}`)}${pct}, was ${formatUsd(before!.usd)})`;
  }
  if (after.priceText) price += ` (${after.priceText})`;
  const spot = after.spot
    ? `; by the capacity provider weights about ${+after.spot.tasks.toFixed(1)} of ${after.spot.of} tasks run on FARGATE_SPOT${after.spot.usd === undefined ? "" : `, about ${formatUsd(after.spot.usd)} a month with them at Spot's price (${SPOT_SOURCE})`}`
    : after.spotNote
      ? `; ${after.spotNote}`
      : "";
  const scaling =
    after.atMaxUsd !== undefined ? `; up to ${formatUsd(after.atMaxUsd)} a month with every service at the top of its scaling range` : "";
  return `**Fargate compute**: ${hours}; ${share}; ${price}${scaling}${spot}${after.provider ? `\n${renderProviderCost(after.provider, after.usd)}` : ""}`;
}

/** The provider's own charges: its hours a month, their price, the traffic's rates, and the month with the compute. */
function renderProviderCost(p: ProviderCost, compute: EnvironmentCost["usd"]): string {
  const units = `${p.units} ${p.units === 1 ? "service" : "services"}`;
  if (typeof p.usd !== "number")
    return `**${p.what}**: ${units}, ${Math.round(p.hours).toLocaleString("en-US")} service-hours a month; price unknown: ${p.usd.unknown}`;
  const total = typeof compute === "number" ? `; with the Fargate compute, ${formatUsd(compute + p.usd)} a month before traffic` : "";
  return `**${p.what}**: ${units} × ${HOURS_PER_MONTH} hours = ${formatUsd(p.usd)} a month at ${p.priceText}${total}`;
}

/** `--max-cost-increase`: `20%` of the month's cost before, or `$50` (or `50`) a month. */
export type CostLimit = { percent: number } | { usd: number };

export function parseCostLimit(text: string): CostLimit | undefined {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (pct) return { percent: Number(pct[1]) };
  const dollars = /^\$?(\d+(?:\.\d+)?)$/.exec(text.trim());
  return dollars ? { usd: Number(dollars[1]) } : undefined;
}

export const formatCostLimit = (limit: CostLimit) => ("percent" in limit ? `${limit.percent}%` : `$${limit.usd}`);

/** Whether a change of the month's cost goes beyond `limit`: the amount it rose by, when it does. */
export function exceeds(after: EnvironmentCost, before: EnvironmentCost | undefined, limit: CostLimit): string | undefined {
  const delta = costDelta(after, before);
  if (!delta || delta.usd <= 0) return undefined;
  const over = "percent" in limit ? delta.percent !== undefined && delta.percent > limit.percent : delta.usd > limit.usd;
  if (!over) return undefined;
  return `+$${delta.usd.toFixed(2)}${delta.percent === undefined ? "" : ` (+${delta.percent.toFixed(1)}%)`}, from ${formatUsd(before!.usd)} to ${formatUsd(after.usd)}`;
}

/** The finding of a rise beyond `--max-cost-increase`, if there is one. */
export function costFinding(after: EnvironmentCost, before: EnvironmentCost | undefined, limit: CostLimit): Finding | undefined {
  const over = exceeds(after, before, limit);
  return over
    ? {
        rule: FINDINGS.costIncrease,
        message: `the month's on-demand Fargate compute rises ${over}: more than --max-cost-increase ${formatCostLimit(limit)} allows`,
      }
    : undefined;
}
