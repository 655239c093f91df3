import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingScheduledAction } from "@cdktf/provider-aws/lib/appautoscaling-scheduled-action";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { Construct } from "constructs";
import type { MetricRef } from "../config/metrics";
import type { ScheduledAction } from "../config/operate-model";

/**
 * Application Auto Scaling's names for an ECS service: `service_namespace = "ecs"`, `scalable_dimension =
 * "ecs:service:DesiredCount"`, `resource_id = "service/<cluster name>/<service name>"` (the provider's
 * aws_appautoscaling_policy docs, ECS example; Application Auto Scaling user guide, target tracking with metric math:
 * `--service-namespace ecs --scalable-dimension ecs:service:DesiredCount --resource-id service/default/web-app`).
 */
export const ECS_SCALABLE = { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount" } as const;

/**
 * The predefined target tracking metrics by the CloudWatch resolution they follow: the one-minute averages
 * (Application Auto Scaling user guide: `ECSServiceAverageCPUUtilization`, `ECSServiceAverageMemoryUtilization`), and
 * the 20-second ones AWS added in June 2026 (`ECSServiceAverageCPUUtilizationHighResolution`, `...Memory...`: named in
 * cds-snc/terraform-modules#899 and aws/aws-cdk#38207; the AWS reference was not read), which need the ECS service's
 * `monitoring` setting that the pinned provider lacks (hashicorp/terraform-provider-aws#48669, open).
 */
export const PREDEFINED_METRICS = {
  60: { cpu: "ECSServiceAverageCPUUtilization", memory: "ECSServiceAverageMemoryUtilization" },
  20: { cpu: "ECSServiceAverageCPUUtilizationHighResolution", memory: "ECSServiceAverageMemoryUtilizationHighResolution" },
} as const;

export interface ServiceScalingProps {
  /** Prefix of the policies' and actions' names: the ECS service's name. */
  name: string;
  clusterName: string;
  /** The ECS service's name, as a reference, so that the target is registered once the service exists. */
  ecsServiceName: string;
  min: number;
  max: number;
  cpuPercent?: number;
  memoryPercent?: number;
  /** Request tracking: requests per task per minute, from the provider's request count over the running tasks. */
  requests?: { perTask: number; requests: MetricRef; runningTasks: MetricRef };
  schedule: readonly ScheduledAction[];
  cooldown: { scaleOutSeconds: number; scaleInSeconds: number };
  resolutionSeconds: 60 | 20;
}

/**
 * An ECS service's task count under Application Auto Scaling: the scalable target (min and max), one target
 * tracking policy per target (AWS: the target scales out "if any of the target tracking policies are ready for scale
 * out, but will scale in only if all of the target tracking policies ... are ready to scale in"), and scheduled
 * actions that move min and max. Application Auto Scaling uses its service-linked role (no role_arn).
 */
export class ServiceScaling extends Construct {
  readonly target: AppautoscalingTarget;
  readonly policies: AppautoscalingPolicy[] = [];
  readonly scheduledActions: AppautoscalingScheduledAction[] = [];

  constructor(scope: Construct, id: string, props: ServiceScalingProps) {
    super(scope, id);
    this.target = new AppautoscalingTarget(this, "target", {
      ...ECS_SCALABLE,
      resourceId: `service/${props.clusterName}/${props.ecsServiceName}`,
      minCapacity: props.min,
      // A scheduled action sets min and max itself ("Application Auto Scaling does not keep track of previous values
      // and revert back"), and the next apply sets them back to these, as its plan shows, until the next action runs.
      // Ignoring them instead would leave a change of the YAML's min or max unapplied (terraform-aws-modules/ecs does
      // not ignore them either).
      maxCapacity: props.max,
    });
    const on = {
      resourceId: this.target.resourceId,
      scalableDimension: this.target.scalableDimension,
      serviceNamespace: this.target.serviceNamespace,
    };
    const cooldowns = { scaleOutCooldown: props.cooldown.scaleOutSeconds, scaleInCooldown: props.cooldown.scaleInSeconds };
    const predefined = PREDEFINED_METRICS[props.resolutionSeconds];
    const track = (kind: string, targetValue: number, metric: object) =>
      this.policies.push(
        new AppautoscalingPolicy(this, kind, {
          name: `${props.name}-${kind}`,
          policyType: "TargetTrackingScaling",
          ...on,
          targetTrackingScalingPolicyConfiguration: { targetValue, ...cooldowns, ...metric },
        }),
      );
    if (props.cpuPercent !== undefined) {
      track("cpu", props.cpuPercent, { predefinedMetricSpecification: { predefinedMetricType: predefined.cpu } });
    }
    if (props.memoryPercent !== undefined) {
      track("memory", props.memoryPercent, { predefinedMetricSpecification: { predefinedMetricType: predefined.memory } });
    }
    if (props.requests) {
      // Application Auto Scaling has no predefined metric for Service Connect: a customized metric, with metric math
      // ("Any expressions used in a metric specification must eventually return a single time series"; every other
      // query has return_data = false, which the provider defaults to true).
      const stat = (ref: MetricRef) => ({
        metric: {
          namespace: ref.namespace,
          metricName: ref.metricName,
          dimensions: Object.entries(ref.dimensions).map(([name, value]) => ({ name, value })),
        },
        stat: ref.stat,
      });
      track("requests", props.requests.perTask, {
        customizedMetricSpecification: {
          metrics: [
            { id: "requests", metricStat: stat(props.requests.requests), returnData: false },
            { id: "tasks", metricStat: stat(props.requests.runningTasks), returnData: false },
            { id: "per_task", expression: "requests / tasks", label: "requests per task per minute", returnData: true },
          ],
        },
      });
    }
    props.schedule.forEach((action, i) => {
      this.scheduledActions.push(
        new AppautoscalingScheduledAction(this, `schedule-${i}`, {
          name: `${props.name}-schedule-${i}`,
          ...on,
          schedule: action.cron,
          ...(action.timezone && { timezone: action.timezone }),
          scalableTargetAction: {
            ...(action.min !== undefined && { minCapacity: String(action.min) }),
            ...(action.max !== undefined && { maxCapacity: String(action.max) }),
          },
        }),
      );
    });
  }
}
