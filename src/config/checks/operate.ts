/**
 * Operating a service: what scaling and meshform's alarms rely on, at the line that asks for it (MF7xx), and
 * whether a linear or canary deployment has any alarm to roll it back (MF302).
 */
import type { MeshProvider } from "../../providers/provider";
import type { Diagnostic } from "../diagnostics";
import { FARGATE_VCPU_QUOTA } from "../limits";
import { ALARM_DEFAULTS } from "../operate-model";
import type { ServiceParts, ValidParts } from "../parts";
import { RULES } from "../rules";
import { type Check, servicesOf, written } from "./check";

type Written<T> = Exclude<T, false | undefined>;
type ScalingParts = Written<ServiceParts["scaling"]>;
type AlarmsParts = Written<ServiceParts["alarms"]>;

const scalingOf = (s: ServiceParts): ScalingParts | undefined => (s.scaling === false ? undefined : s.scaling);
const alarmsOf = (s: ServiceParts): AlarmsParts | undefined => (s.alarms === false ? undefined : s.alarms);
/** Each version's desiredCount (a service without versions has one). */
const desiredCounts = (s: ServiceParts): { path: (string | number)[]; count: number }[] => {
  if (s.desiredCount === undefined) return [];
  if (!s.versions) return [{ path: ["desiredCount"], count: s.desiredCount }];
  return Object.entries(s.versions).map(([v, version]) =>
    version?.desiredCount !== undefined
      ? { path: ["versions", v, "desiredCount"], count: version.desiredCount }
      : { path: ["desiredCount"], count: s.desiredCount! },
  );
};
const hasCallers = (parts: ValidParts, name: string) => servicesOf(parts).some(([, c]) => c.backends?.includes(name));
const requestMetrics = (provider: MeshProvider | undefined) => provider?.supports("requestMetrics") ?? false;

/** The range holds desiredCount and the schedule's bounds. */
export const scalingRange: Check = (parts, source) => {
  const out: Diagnostic[] = [];
  for (const [name, s] of servicesOf(parts)) {
    const scaling = scalingOf(s);
    if (!scaling) continue;
    const at = (...path: (string | number)[]) => ["services", name, "scaling", ...path];
    const { min, max } = scaling;
    if (min !== undefined && max !== undefined && min > max) {
      out.push(
        source.report(
          RULES.scalingRange,
          at("min"),
          `${min} is above max (${max}): the fewest tasks cannot exceed the most; lower min or raise max`,
        ),
      );
      continue;
    }
    for (const { path, count } of desiredCounts(s)) {
      const where = ["services", name, ...path];
      // desiredCount not written (its default, 1): said at the bound, which is what the file chose.
      const own = written(source, where);
      if (min !== undefined && count < min) {
        out.push(
          own
            ? source.report(
                RULES.scalingRange,
                where,
                `${count} is below scaling.min (${min}): desiredCount is the count the service starts with, inside scaling's range; raise it to at least ${min}, or lower min`,
              )
            : source.report(
                RULES.scalingRange,
                at("min"),
                `${min} is above desiredCount (${count}, its default): desiredCount is the count the service starts with, inside scaling's range; set desiredCount: ${min}, or lower min`,
              ),
        );
      }
      if (max !== undefined && count > max) {
        out.push(
          source.report(
            RULES.scalingRange,
            own ? where : at("max"),
            own
              ? `${count} is above scaling.max (${max}): Application Auto Scaling would remove the tasks above max as soon as it runs; lower desiredCount to at most ${max}, or raise max`
              : `${max} is below desiredCount (${count}, its default): desiredCount is the count the service starts with, inside scaling's range; set desiredCount: ${max}, or raise max`,
          ),
        );
      }
    }
    (scaling.schedule ?? []).forEach((action, i) => {
      const top = action.max ?? max;
      if (action.min !== undefined && top !== undefined && action.min > top) {
        out.push(
          source.report(
            RULES.scalingRange,
            at("schedule", i, "min"),
            `${action.min} is above the maximum (${top}) in force at that time: a scheduled min cannot exceed max; give the action a max too, or lower its min`,
          ),
        );
      }
    });
  }
  return out;
};

/** requestsPerTask needs the provider's request metrics. */
export const requestScaling: Check = (parts, source, { provider }) =>
  provider === undefined || requestMetrics(provider)
    ? []
    : servicesOf(parts).flatMap(([name, s]): Diagnostic[] =>
        scalingOf(s)?.requestsPerTask !== undefined
          ? [
              source.report(
                RULES.requestScaling,
                ["services", name, "scaling", "requestsPerTask"],
                `${provider.displayName} publishes no request metrics to CloudWatch by itself (its Envoy's statistics stay on the proxy's admin port unless a CloudWatch agent ships them), so nothing counts requests per task: scale on cpu or memory, or remove requestsPerTask`,
              ),
            ]
          : [],
      );

/** Top of every range × task size within the account's Fargate quota. */
export const fargateQuota: Check = (parts, source) => {
  let vcpus = 0;
  for (const [, s] of servicesOf(parts)) {
    if (s.cpu === undefined) continue;
    const scaling = s.scaling === false ? undefined : (s.scaling ?? {});
    for (const { count } of desiredCounts(s)) {
      const top =
        scaling === undefined || (scaling.max === undefined && count === 0)
          ? count
          : (scaling.max ?? Math.max(2 * count, scaling.min ?? count, 1));
      vcpus += (top * s.cpu) / 1024;
    }
  }
  if (vcpus <= FARGATE_VCPU_QUOTA.value || parts.services === undefined) return [];
  return [
    source.report(
      RULES.fargateQuota,
      ["services"],
      `at the top of their scaling ranges these services hold ${vcpus} vCPUs, beyond the ${FARGATE_VCPU_QUOTA.value} of Fargate's default On-Demand vCPU quota (${FARGATE_VCPU_QUOTA.name}, ${FARGATE_VCPU_QUOTA.code}; that default is unverified, and accounts often have less applied): tasks past the quota do not start; check yours in Service Quotas and request an increase, or lower scaling.max`,
      true,
    ),
  ];
};

/** A canary's share of the traffic at max, in tasks; and whether the error-rate alarm can see it fail. */
export const canaries: Check = (parts, source, { provider }) => {
  const out: Diagnostic[] = [];
  for (const [name, s] of servicesOf(parts)) {
    const d = s.deployment;
    const share = d?.strategy === "canary" ? d.canary?.percent : d?.strategy === "linear" ? d.linear?.stepPercent : undefined;
    if (share === undefined) continue;
    const field = d!.strategy === "canary" ? ["deployment", "canary", "percent"] : ["deployment", "linear", "stepPercent"];
    if (provider !== undefined && !provider.supports("ecsDeployments")) continue; // refused already (MF417)
    // Said of the max the file writes: the top of the range the user chose.
    const max = scalingOf(s)?.max;
    if (d!.strategy === "canary" && max !== undefined && (share * max) / 100 < 1) {
      out.push(
        source.report(
          RULES.canaryTasks,
          ["services", name, ...field],
          `${share}% of the traffic of at most ${max} tasks (scaling.max) is less than one task's share (${((share * max) / 100).toFixed(2)}): the canary's requests are too few to judge the release by before the rest of the traffic moves; raise the percentage to at least ${Math.ceil(10_000 / max) / 100}%, or scaling.max`,
        ),
      );
    }
    const alarms = s.alarms === false ? undefined : s.alarms;
    const rate = alarms?.errorRate === false ? undefined : (alarms?.errorRate ?? ALARM_DEFAULTS.errorRatePercent);
    if (rate !== undefined && requestMetrics(provider) && hasCallers(parts, name) && rate >= share) {
      const at = written(source, ["services", name, "alarms", "errorRate"])
        ? ["services", name, "alarms", "errorRate"]
        : ["services", name, ...field];
      out.push(
        source.report(
          RULES.canaryErrorRate,
          at,
          `the error-rate alarm (${rate}%) counts every revision's answers together, and a ${d!.strategy === "canary" ? "canary" : "first step"} of ${share}% that fails every request raises the rate to ${share}% at most: it would never roll the release back; set alarms.errorRate below ${share}%`,
        ),
      );
    }
  }
  return out;
};

/** An alarm written for a service that has no metric for it: said, rather than silently left out. */
export const alarmMetrics: Check = (parts, source, { provider }) => {
  const out: Diagnostic[] = [];
  for (const [name, s] of servicesOf(parts)) {
    const alarms = alarmsOf(s);
    if (!alarms) continue;
    const at = (field: string) => ["services", name, "alarms", field];
    const on = (field: "errorRate" | "latencyP99" | "tasksBelowDesired" | "unhealthyTargets") =>
      written(source, at(field)) && source.valueAt(at(field)) !== false;
    for (const field of ["errorRate", "latencyP99"] as const) {
      if (!on(field) || provider === undefined) continue;
      if (!requestMetrics(provider)) {
        out.push(
          source.report(
            RULES.alarmWithoutMetric,
            at(field),
            `${provider.displayName} publishes no request metrics to CloudWatch by itself (Envoy's statistics stay on its admin port unless a CloudWatch agent ships them), so this alarm is not made; remove ${field}, or alarm on your own metrics with rollbackAlarms`,
          ),
        );
      } else if (!hasCallers(parts, name)) {
        out.push(
          source.report(
            RULES.alarmWithoutMetric,
            at(field),
            `${provider.metrics?.source ?? provider.displayName} measure a service's answers to the services of its namespace that call it, and no service of this file calls ${name}, so this alarm is not made; remove ${field}`,
          ),
        );
      }
    }
    if (on("tasksBelowDesired") && parts.cluster?.containerInsights === "disabled") {
      out.push(
        source.report(
          RULES.alarmWithoutMetric,
          at("tasksBelowDesired"),
          "counts tasks with Container Insights (ECS/ContainerInsights RunningTaskCount and DesiredTaskCount), which cluster.containerInsights: disabled turns off, so this alarm is not made; enable Container Insights (charged as custom metrics), or remove tasksBelowDesired",
        ),
      );
    }
    if (on("unhealthyTargets") && s.ingress === undefined) {
      out.push(
        source.report(
          RULES.alarmWithoutMetric,
          at("unhealthyTargets"),
          `watches the targets of the service's ingress load balancer, and ${name} has no ingress, so this alarm is not made; remove unhealthyTargets`,
        ),
      );
    }
  }
  return out;
};

/**
 * A linear or canary deployment rolls back only on alarms (ECS's circuit breaker covers rolling and blue-green):
 * meshform's own error-rate, latency and unhealthy-target alarms where the service has them, and rollbackAlarms.
 */
export const rollbackAlarms: Check = (parts, source, { provider }) => {
  const out: Diagnostic[] = [];
  for (const [name, s] of servicesOf(parts)) {
    const strategy = s.deployment?.strategy;
    if (strategy !== "linear" && strategy !== "canary") continue;
    if ((s.deployment?.rollbackAlarms?.length ?? 0) > 0) continue;
    const alarms = alarmsOf(s);
    const responses = requestMetrics(provider) && hasCallers(parts, name);
    const own =
      alarms !== undefined &&
      alarms.rollback !== false &&
      ((responses && (alarms.errorRate !== false || alarms.latencyP99 !== false)) ||
        (s.ingress !== undefined && alarms.unhealthyTargets !== false));
    if (own) continue;
    const why =
      alarms === undefined || alarms.rollback === false
        ? "meshform's own alarms do not roll it back here (alarms: false, or alarms.rollback: false)"
        : "meshform has no alarm of its own to roll it back (no service of this file calls it, so there is no error rate or latency, and it has no ingress)";
    out.push(
      source.report(
        RULES.rollbackAlarms,
        ["services", name, "deployment", "strategy"],
        `ECS's circuit breaker covers rolling and blue-green deployments only, so a ${strategy} deployment rolls back only when one of its alarms goes into ALARM, and ${why}: name at least one in rollbackAlarms (e.g. the service's 5xx rate)`,
      ),
    );
  }
  return out;
};
