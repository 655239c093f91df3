/**
 * How a service is operated, resolved: its scaling (range, targets, schedules, cooldowns) and meshform's alarms,
 * with their names; and the small pure functions the review and `explain` read them through (a service's scaling
 * range, the month's compute at the bottom and the top of every range, the dashboard's name and URL, the alarms
 * that roll a deployment back). model.ts holds these on each service; the stacks' add-ons (stacks/add-ons/) build
 * them; checks/operate.ts checks what they rely on.
 */
import type { ResolvedEnvironment, ResolvedService, ResolvedVersion } from "./model";
import { awsCron, ScalingObjectSchema } from "./operate-schema";
import type { ServiceConfig } from "./schema";

export interface ScheduledAction {
  /** As written: five-field cron. */
  written: string;
  /** As Application Auto Scaling takes it: `cron(m h dom mon dow year)`. */
  cron: string;
  min?: number;
  max?: number;
  timezone?: string;
}

export interface ResolvedScaling {
  /** Bounds as written; an absent one follows each version's desiredCount (see scalingRange). */
  min?: number;
  max?: number;
  /** Target tracking: average CPU and memory utilization (%), requests per task per minute. */
  cpuPercent?: number;
  memoryPercent?: number;
  requestsPerTask?: number;
  schedule: ScheduledAction[];
  cooldown: { scaleOutSeconds: number; scaleInSeconds: number };
  /**
   * Resolution of the CPU and memory metrics target tracking follows. Always 60 s today: AWS's 20-second metrics
   * (`ECSServiceAverageCPUUtilizationHighResolution`) need the ECS service's `monitoring` setting, which the pinned
   * AWS provider cannot set (hashicorp/terraform-provider-aws#48669); the add-on picks the metric by this value.
   */
  resolutionSeconds: 60 | 20;
}

/** Each alarm's threshold, or undefined where it is off. */
export interface ResolvedAlarms {
  errorRatePercent?: number;
  latencyP99Ms?: number;
  tasksBelowDesiredMinutes?: number;
  saturatedMinutes?: number;
  unhealthyTargetsMinutes?: number;
  /** Whether the error-rate, latency and unhealthy-target alarms roll back blue-green, linear and canary deployments. */
  rollback: boolean;
}

export { DEFAULT_TARGET_PERCENT } from "./operate-schema";
/** Default alarm thresholds and windows. */
export const ALARM_DEFAULTS = {
  errorRatePercent: 1,
  /** The p99 latency alarm's default threshold, as a share of the service's timeout. */
  latencyShareOfTimeout: 0.5,
  /** Minutes an error rate or latency must stay above its threshold. */
  responseMinutes: 3,
} as const;

export function resolveScaling(s: ServiceConfig): ResolvedScaling | undefined {
  if (s.scaling === false) return undefined;
  const written = s.scaling;
  // Unwritten, scaling follows desiredCount: none for a service parked at 0 tasks.
  const desired = s.versions ? Object.values(s.versions).map((v) => v.desiredCount ?? s.desiredCount) : [s.desiredCount];
  if (written === undefined && desired.every((d) => d === 0)) return undefined;
  const w = written ?? ScalingObjectSchema.parse({});
  return {
    ...(written?.min !== undefined && { min: written.min }),
    ...(written?.max !== undefined && { max: written.max }),
    ...(w.cpu !== false && { cpuPercent: w.cpu }),
    ...(w.memory !== false && { memoryPercent: w.memory }),
    ...(written?.requestsPerTask !== undefined && { requestsPerTask: written.requestsPerTask }),
    schedule: w.schedule.map((a) => ({
      written: a.cron,
      cron: (awsCron(a.cron) as { cron: string }).cron,
      ...(a.min !== undefined && { min: a.min }),
      ...(a.max !== undefined && { max: a.max }),
      ...(a.timezone !== undefined && { timezone: a.timezone }),
    })),
    cooldown: { scaleOutSeconds: w.cooldown.scaleOut / 1000, scaleInSeconds: w.cooldown.scaleIn / 1000 },
    resolutionSeconds: 60,
  };
}

export function resolveAlarms(s: ServiceConfig): ResolvedAlarms {
  const a = s.alarms;
  if (a === false) return { rollback: false };
  const latency = a.latencyP99 ?? Math.round(s.timeout * ALARM_DEFAULTS.latencyShareOfTimeout);
  return {
    ...(a.errorRate !== false && { errorRatePercent: a.errorRate ?? ALARM_DEFAULTS.errorRatePercent }),
    ...(latency !== false && { latencyP99Ms: latency }),
    ...(a.tasksBelowDesired !== false && { tasksBelowDesiredMinutes: a.tasksBelowDesired / 60_000 }),
    ...(a.saturated !== false && { saturatedMinutes: a.saturated / 60_000 }),
    ...(a.unhealthyTargets !== false && { unhealthyTargetsMinutes: a.unhealthyTargets / 60_000 }),
    rollback: a.rollback,
  };
}

/**
 * The range one version's tasks scale in (a service without versions has one): the bounds written, else
 * `desiredCount` at the bottom and twice it at the top. Undefined when the service does not scale, or when scaling
 * is not written and this version is parked at 0 tasks.
 */
export function scalingRange(
  s: Pick<ResolvedService, "scaling" | "desiredCount" | "awaitingImage">,
  version?: Pick<ResolvedVersion, "desiredCount" | "awaitingImage">,
) {
  const scaling = s.scaling;
  // Nothing to scale before its image exists: the minimum would start tasks that cannot pull it.
  if (!scaling || (version?.awaitingImage ?? s.awaitingImage)) return undefined;
  const desired = version?.desiredCount ?? s.desiredCount;
  if (scaling.min === undefined && scaling.max === undefined && desired === 0) return undefined;
  const min = scaling.min ?? desired;
  return { min, max: scaling.max ?? Math.max(2 * desired, min, 1) };
}

/** AWS bills a month as 730 hours (as src/review/prices.ts does). */
const HOURS_PER_MONTH = 730;

export interface ComputeHours {
  vcpuHours: number;
  gbHours: number;
}

/**
 * The month's Fargate compute of every task at the bottom and at the top of each service's scaling range (a
 * service that does not scale counts its desiredCount in both), for the review's cost line.
 */
export function monthlyComputeRange(env: Pick<ResolvedEnvironment, "services">): { atMin: ComputeHours; atMax: ComputeHours } {
  const at = (end: "min" | "max"): ComputeHours => {
    let vcpu = 0;
    let gb = 0;
    for (const s of env.services) {
      for (const v of s.versions) {
        const tasks = scalingRange(s, v)?.[end] ?? v.desiredCount;
        vcpu += (tasks * s.task.cpu) / 1024;
        gb += (tasks * s.task.memory) / 1024;
      }
    }
    return { vcpuHours: vcpu * HOURS_PER_MONTH, gbHours: gb * HOURS_PER_MONTH };
  };
  return { atMin: at("min"), atMax: at("max") };
}

/** The vCPUs every task of the environment holds at the top of its range: what the account's Fargate quota must allow. */
export const maxVcpus = (
  services: readonly Pick<ResolvedService, "scaling" | "desiredCount" | "versions" | "task" | "awaitingImage">[],
): number =>
  services.reduce((n, s) => n + s.versions.reduce((m, v) => m + (scalingRange(s, v)?.max ?? v.desiredCount) * (s.task.cpu / 1024), 0), 0);

// ---- names ----

/** meshform's alarm names: the ECS service's name (at most 255 characters in all, CloudWatch's limit) and what it watches. */
export const alarmNames = (ecsService: string) => ({
  errorRate: `${ecsService}-error-rate`,
  latencyP99: `${ecsService}-latency-p99`,
  unhealthyTargets: `${ecsService}-unhealthy-targets`,
  tasksBelowDesired: `${ecsService}-tasks-below-desired`,
  cpuHigh: `${ecsService}-cpu-high`,
  memoryHigh: `${ecsService}-memory-high`,
});

/** The SNS topic meshform creates when alarmTopicArn is not given. */
export const alarmTopicName = (env: Pick<ResolvedEnvironment, "names">) => `${env.names.prefix}-alarms`;

/** The environment's dashboard: its name (letters, digits, - and _, as `<env>-<project>` is). */
export const dashboardName = (env: Pick<ResolvedEnvironment, "names">) => env.names.prefix;

/**
 * The dashboard in the CloudWatch console, for `explain` and the stack's output. The URL form is what the console
 * navigates to (`#dashboards/dashboard/<name>`); AWS documents no URL scheme, so it is unverified.
 */
export const dashboardUrl = (env: Pick<ResolvedEnvironment, "names" | "region">) =>
  `https://${env.region}.console.aws.amazon.com/cloudwatch/home?region=${env.region}#dashboards/dashboard/${dashboardName(env)}`;

// ---- which alarms exist ----

/** What decides which of a service's alarms can exist: the provider's metrics, its callers, its ingress. */
export interface AlarmInputs {
  /** The provider publishes request metrics (capability `requestMetrics`). */
  requestMetrics: boolean;
  /** Some service of the environment calls it (Service Connect measures responses to callers of its namespace only). */
  hasCallers: boolean;
  hasIngress: boolean;
}

/** The alarm kinds that roll back its blue-green, linear and canary deployments, for a service's resolved alarms. */
export function rollbackKinds(alarms: ResolvedAlarms, inputs: AlarmInputs): ("errorRate" | "latencyP99" | "unhealthyTargets")[] {
  if (!alarms.rollback) return [];
  const responses = inputs.requestMetrics && inputs.hasCallers;
  return [
    ...(responses && alarms.errorRatePercent !== undefined ? (["errorRate"] as const) : []),
    ...(responses && alarms.latencyP99Ms !== undefined ? (["latencyP99"] as const) : []),
    ...(inputs.hasIngress && alarms.unhealthyTargetsMinutes !== undefined ? (["unhealthyTargets"] as const) : []),
  ];
}

/** The services of `env` that call `name`. */
export const callersOf = <S extends Pick<ResolvedService, "name" | "backends">>(services: readonly S[], name: string): S[] =>
  services.filter((s) => s.backends.some((b) => b.service === name));

/**
 * meshform's alarms that roll back a service's deployments (blue-green, linear, canary; a rolling deployment has
 * ECS's circuit breaker), by name, beside the `rollbackAlarms` the file names. For the review and the ECS service.
 */
export function ownRollbackAlarms(env: Pick<ResolvedEnvironment, "services">, s: ResolvedService, requestMetrics: boolean): string[] {
  if (s.deployment.strategy === "rolling") return [];
  const names = alarmNames(s.names.ecsService);
  const kinds = rollbackKinds(s.alarms, {
    requestMetrics,
    hasCallers: callersOf(env.services, s.name).length > 0,
    hasIngress: s.ingress !== undefined,
  });
  return kinds.map((k) => names[k]);
}
