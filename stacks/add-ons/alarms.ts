/**
 * Alarms: meshform's own CloudWatch alarms for every service, each notifying the environment's alarm topic (the
 * file's alarmTopicArn, else the one shared.ts makes, whose ARN is an output here):
 *
 * - error rate and p99 latency, from the provider's request metrics (Service Connect: the answers its callers'
 *   proxies saw; App Mesh publishes none to CloudWatch by itself, so none there);
 * - unhealthy targets of the service's ingress load balancer;
 * - per ECS service: tasks running below desired (Container Insights, where the cluster has it), CPU and memory
 *   above the scaling target for long.
 *
 * The error-rate, latency and unhealthy-target alarms roll back the service's blue-green, linear and canary
 * deployments: the ECS service names them (stacks/service.ts, ownRollbackAlarms) and, since ECS needs an alarm to
 * exist before a service refers to it, depends on them here. The alarms name the services by their literal names,
 * not references, so that this dependency has no cycle.
 */
import { dependable, TerraformOutput, type TerraformStack } from "cdktf";
import { formatDuration } from "../../src/config/duration";
import {
  containerInsightsTasks,
  ecsUtilization,
  MAX_ALARM_METRICS,
  type MetricRef,
  type MetricTarget,
  nlbUnhealthyHosts,
} from "../../src/config/metrics";
import { ALARM_DEFAULTS, alarmNames, callersOf, DEFAULT_TARGET_PERCENT, ownRollbackAlarms } from "../../src/config/operate-model";
import { MetricAlarm, type MetricAlarmProps, type MetricMath } from "../../src/constructs/metric-alarm";
import type { ServiceHandle } from "../service";
import type { AddOnContext } from ".";

/** FILL(m, 0): a count a service published nothing of in a minute (no 5xx, no unhealthy target) counts as 0. */
const filledSum = (ids: readonly string[]) => ids.map((id) => `FILL(${id}, 0)`).join(" + ");

/** Metric math over series named `prefix0`, `prefix1`, … */
const byId = (prefix: string, refs: readonly MetricRef[]) => Object.fromEntries(refs.map((r, i) => [`${prefix}${i}`, r]));

/** The request-metric target of a service: its own ECS service and discovery name, and its callers' ECS services. */
export function metricTarget(context: AddOnContext, h: ServiceHandle): MetricTarget {
  const { env } = context.shared;
  const callers = callersOf(env.services, h.service.name).flatMap((c) => c.versions.map((v) => v.names.ecsService));
  return { clusterName: env.names.prefix, ecsService: h.service.names.ecsService, discoveryName: h.service.names.discovery, callers };
}

export function alarms(stack: TerraformStack, context: AddOnContext): void {
  const { shared, services } = context;
  const { env, provider } = shared;
  const topic = shared.alarmTopicArn ? { topicArn: shared.alarmTopicArn } : {};
  const alarm = (id: string, props: Omit<MetricAlarmProps, "topicArn">) => new MetricAlarm(stack, id, { ...props, ...topic }).alarm;
  const clusterName = env.names.prefix;

  for (const h of services) {
    const s = h.service;
    const a = s.alarms;
    const names = alarmNames(s.names.ecsService);
    const made = new Map<string, ReturnType<typeof alarm>>();
    const metrics = provider.metrics;
    const target = metricTarget(context, h);
    const measured = metrics?.measuresResponses(target) ?? false;
    if (metrics && measured && a.errorRatePercent !== undefined) {
      // One series of requests, the 5xx of each caller: at most 10 metrics in all (MAX_ALARM_METRICS).
      const errors = byId("e", metrics.serverErrors(target, MAX_ALARM_METRICS - 1));
      made.set(
        names.errorRate,
        alarm(`${s.name}-alarm-error-rate`, {
          name: names.errorRate,
          description: `${s.name}: more than ${a.errorRatePercent}% of its requests answered 5xx for ${ALARM_DEFAULTS.responseMinutes} minutes (${metrics.source}, as its callers saw them). Rolls back a blue-green, linear or canary deployment under way. Look at the service's logs, and at its last deployment.`,
          metric: {
            metrics: { requests: metrics.requests(target), ...errors },
            expression: `100 * (${filledSum(Object.keys(errors))}) / requests`,
            label: "5xx, % of requests",
          },
          threshold: a.errorRatePercent,
          comparison: "GreaterThanThreshold",
          minutes: ALARM_DEFAULTS.responseMinutes,
        }),
      );
    }
    if (metrics && measured && a.latencyP99Ms !== undefined) {
      const series = metrics.responseTimes(target, "p99", MAX_ALARM_METRICS);
      // Percentiles of separate callers cannot be added: the slowest caller's p99 is the service's.
      const metric: MetricRef | MetricMath =
        series.length === 1
          ? series[0]!
          : {
              metrics: byId("l", series),
              expression: `MAX([${series.map((_, i) => `l${i}`).join(", ")}])`,
              label: "p99 response time (ms), slowest caller",
            };
      made.set(
        names.latencyP99,
        alarm(`${s.name}-alarm-latency-p99`, {
          name: names.latencyP99,
          description: `${s.name}: the 99th percentile of its response time stayed above ${formatDuration(a.latencyP99Ms)} for ${ALARM_DEFAULTS.responseMinutes} minutes (${metrics.source}). Rolls back a blue-green, linear or canary deployment under way. Look at what it waits for (its backends, its CPU), and at its last deployment.`,
          metric,
          // TargetResponseTime is in milliseconds (ECS developer guide, Service Connect metrics).
          threshold: a.latencyP99Ms,
          comparison: "GreaterThanThreshold",
          minutes: ALARM_DEFAULTS.responseMinutes,
        }),
      );
    }
    if (h.ingress && a.unhealthyTargetsMinutes !== undefined) {
      const lb = h.ingress.loadBalancer.arnSuffix;
      const groups = [h.ingress.targetGroup, ...(h.ingress.alternateTargetGroup ? [h.ingress.alternateTargetGroup] : [])];
      // ECS moves the service between the two target groups at every blue-green, linear or canary release: both are watched.
      const series = groups.map((g) => nlbUnhealthyHosts(lb, g.arnSuffix));
      made.set(
        names.unhealthyTargets,
        alarm(`${s.name}-alarm-unhealthy-targets`, {
          name: names.unhealthyTargets,
          description: `${s.name}: its load balancer found a target unhealthy for ${a.unhealthyTargetsMinutes} minutes (health check ${s.healthCheckPath}). Rolls back a blue-green, linear or canary deployment under way.`,
          metric:
            series.length === 1
              ? series[0]!
              : { metrics: byId("t", series), expression: filledSum(["t0", "t1"]), label: "unhealthy targets" },
          threshold: 0,
          comparison: "GreaterThanThreshold",
          minutes: a.unhealthyTargetsMinutes,
        }),
      );
    }
    for (const { version, ecsService } of h.versions) {
      const id = version.name === undefined ? s.name : `${s.name}-${version.name}`;
      const ecsName = version.names.ecsService;
      const own = alarmNames(ecsName);
      if (a.tasksBelowDesiredMinutes !== undefined && env.cluster.containerInsights !== "disabled") {
        alarm(`${id}-alarm-tasks-below-desired`, {
          name: own.tasksBelowDesired,
          description: `${ecsName}: fewer tasks ran than desired for ${a.tasksBelowDesiredMinutes} minutes (Container Insights). Tasks fail to start or keep stopping: see the service's events and its stopped tasks' reasons.`,
          metric: {
            metrics: {
              desired: containerInsightsTasks("DesiredTaskCount", clusterName, ecsName),
              running: containerInsightsTasks("RunningTaskCount", clusterName, ecsName),
            },
            expression: "FILL(desired, 0) - FILL(running, 0)",
            label: "tasks below desired",
          },
          threshold: 0,
          comparison: "GreaterThanThreshold",
          minutes: a.tasksBelowDesiredMinutes,
        });
      }
      if (a.saturatedMinutes !== undefined) {
        for (const [kind, metric, target] of [
          ["cpu", "CPUUtilization", s.scaling?.cpuPercent],
          ["memory", "MemoryUtilization", s.scaling?.memoryPercent],
        ] as const) {
          const threshold = target ?? DEFAULT_TARGET_PERCENT;
          alarm(`${id}-alarm-${kind}-high`, {
            name: kind === "cpu" ? own.cpuHigh : own.memoryHigh,
            description: `${ecsName}: average ${kind} stayed above ${threshold}% for ${a.saturatedMinutes} minutes. Under scaling, it is at its maximum or cannot keep up: raise scaling.max, or the task size; without, give the task more room or let it scale.`,
            metric: ecsUtilization(metric, clusterName, ecsName),
            threshold,
            comparison: "GreaterThanThreshold",
            minutes: a.saturatedMinutes,
          });
        }
      }
      // ECS refers to its rollback alarms by name: they must exist before it (and outlive it).
      const rollback = ownRollbackAlarms(env, s, provider.supports("requestMetrics")).map((name) => {
        const found = made.get(name);
        // ownRollbackAlarms (what the ECS service names) and this add-on decide alike; said loudly if they ever part.
        if (!found) throw new Error(`internal: ${ecsName} rolls back on ${name}, which the alarms add-on did not make`);
        return found;
      });
      if (rollback.length > 0) ecsService.dependsOn = [...(ecsService.dependsOn ?? []), ...rollback.map((r) => dependable(r))];
    }
  }
  if (shared.ownAlarmTopic && shared.alarmTopicArn) {
    new TerraformOutput(stack, "alarm_topic_arn", {
      value: shared.alarmTopicArn,
      description: "The SNS topic every alarm of the environment notifies: subscribe to it",
    });
  }
}
