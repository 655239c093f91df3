import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import type { MetricRef } from "../config/metrics";

/** Every alarm meshform makes reads one-minute periods (ECS, Service Connect and ELB publish every 60 s). */
export const ALARM_PERIOD_SECONDS = 60;

/** Metric math: metrics by id (each id starts with a lowercase letter), and the expression the alarm watches. */
export interface MetricMath {
  metrics: Record<string, MetricRef>;
  expression: string;
  label: string;
}

export interface MetricAlarmProps {
  name: string;
  /** What it means and what to do, shown with every notification. */
  description: string;
  metric: MetricRef | MetricMath;
  threshold: number;
  comparison: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold";
  /** Consecutive one-minute periods above the threshold before it goes into ALARM. */
  minutes: number;
  /**
   * No data is "notBreaching" by default: ECS sends no metrics for a service without running tasks, and Service
   * Connect none for a service nobody calls (ECS developer guide, "Amazon ECS CloudWatch metrics").
   */
  treatMissingData?: "notBreaching" | "missing" | "breaching" | "ignore";
  /** SNS topic notified when it goes into ALARM and back to OK. */
  topicArn?: string;
}

const isMath = (m: MetricRef | MetricMath): m is MetricMath => "expression" in m;
/** CloudWatch percentiles ("p99") go in `extended_statistic`, the five statistics in `statistic` (the provider's docs). */
const isPercentile = (stat: string) => /^p\d+(\.\d+)?$/.test(stat);

/**
 * One CloudWatch alarm on one metric or on metric math (at most 10 metrics, CloudWatch's hard limit for alarms on
 * metric math), over one-minute periods, notifying a topic. Percentile alarms ignore periods with too few samples
 * (`evaluate_low_sample_count_percentiles = "ignore"`): the alarm keeps its state rather than judge on a handful.
 */
export class MetricAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: MetricAlarmProps) {
    super(scope, id);
    const m = props.metric;
    const actions = props.topicArn ? [props.topicArn] : undefined;
    const source = isMath(m)
      ? {
          metricQuery: [
            ...Object.entries(m.metrics).map(([queryId, ref]) => ({
              id: queryId,
              returnData: false,
              metric: {
                namespace: ref.namespace,
                metricName: ref.metricName,
                dimensions: ref.dimensions,
                stat: ref.stat,
                period: ALARM_PERIOD_SECONDS,
              },
            })),
            { id: "alarmed", expression: m.expression, label: m.label, returnData: true },
          ],
        }
      : {
          namespace: m.namespace,
          metricName: m.metricName,
          dimensions: m.dimensions,
          period: ALARM_PERIOD_SECONDS,
          ...(isPercentile(m.stat) ? { extendedStatistic: m.stat, evaluateLowSampleCountPercentiles: "ignore" } : { statistic: m.stat }),
        };
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      alarmName: props.name,
      alarmDescription: props.description,
      ...source,
      evaluationPeriods: props.minutes,
      datapointsToAlarm: props.minutes,
      threshold: props.threshold,
      comparisonOperator: props.comparison,
      treatMissingData: props.treatMissingData ?? "notBreaching",
      ...(actions && { alarmActions: actions, okActions: actions }),
    });
  }
}
