/**
 * CloudWatch metrics meshform alarms, scales and draws on, as data: each one written from its AWS source, cited
 * beside it. The provider's own request metrics (Service Connect's) live in its folder and come through
 * `MeshProvider.metrics`; what is here is the same under every provider (ECS, Container Insights, the Network
 * Load Balancer, SQS).
 */

/** One CloudWatch metric as an alarm, a scaling policy or a dashboard reads it. */
export interface MetricRef {
  namespace: string;
  metricName: string;
  /** Dimension name → value, exactly a set the service publishes (CloudWatch matches dimension sets exactly). */
  dimensions: Record<string, string>;
  /** Sum, Average, Minimum, Maximum, SampleCount, or a percentile such as p99. */
  stat: string;
}

/** Whom a provider's request metrics are about: the service, its ECS service and its callers' (in the same cluster). */
export interface MetricTarget {
  clusterName: string;
  ecsService: string;
  /** The name the provider discovers the service by (Service Connect's `discovery_name`). */
  discoveryName: string;
  /** The ECS services of the services that call it, in the same environment. */
  callers: readonly string[];
}

/**
 * What a provider publishes about the requests its proxies carry, where it publishes anything by itself
 * (capability `requestMetrics`). Each function returns the series to combine: requests are one series, server
 * errors are summed, response times are per caller (their maximum is the service's: percentiles of separate
 * series cannot be added).
 */
export interface RequestMetrics {
  /** As a reader says it: "Service Connect's proxies". */
  readonly source: string;
  /** Requests the service's tasks took per period (statistic Sum). */
  requests(t: MetricTarget): MetricRef;
  /** Whether server errors and response times exist for the service (Service Connect: only for calls from services of its namespace). */
  measuresResponses(t: MetricTarget): boolean;
  /** 5xx the service answered, as series to sum (statistic Sum), at most `maxSeries` of them. */
  serverErrors(t: MetricTarget, maxSeries: number): MetricRef[];
  /** Its response time in milliseconds at statistic `stat` (e.g. p99), one series per caller, at most `maxSeries`. */
  responseTimes(t: MetricTarget, stat: string, maxSeries: number): MetricRef[];
}

/**
 * CloudWatch: "Alarms based on metric math expressions can reference a maximum of 10 metrics. This is a hard limit
 * that cannot be increased." (CloudWatch user guide, "Limits that apply to alarms based on metric math expressions",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html).
 */
export const MAX_ALARM_METRICS = 10;

/**
 * ECS service utilization: namespace `AWS/ECS`, dimensions `ClusterName, ServiceName`, unit Percent, sent every
 * minute; "Any Amazon ECS service using the Fargate launch type has CloudWatch CPU and memory utilization metrics
 * automatically" (ECS developer guide, "Amazon ECS CloudWatch metrics": `CPUUtilization`, `MemoryUtilization`,
 * "Valid dimensions: ClusterName, ServiceName ... Unit: Percent";
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html).
 */
export const ecsUtilization = (metric: "CPUUtilization" | "MemoryUtilization", clusterName: string, ecsService: string): MetricRef => ({
  namespace: "AWS/ECS",
  metricName: metric,
  dimensions: { ClusterName: clusterName, ServiceName: ecsService },
  stat: "Average",
});

/**
 * The service's RUNNING tasks, free of charge: the SampleCount of `CPUUtilization` over one minute. ECS developer
 * guide, "Service RUNNING task count from Amazon ECS provided metrics": choose `ClusterName, ServiceName`, any of
 * CPUUtilization or MemoryUtilization, "change Period to 1 Minute and Statistic to Sample Count. The value displayed
 * in the graph indicates the number of RUNNING tasks in the service."
 */
export const ecsRunningTasks = (clusterName: string, ecsService: string): MetricRef => ({
  ...ecsUtilization("CPUUtilization", clusterName, ecsService),
  stat: "SampleCount",
});

/**
 * Container Insights' task counts: namespace `ECS/ContainerInsights`, `RunningTaskCount` ("The number of tasks
 * currently in the RUNNING state") and `DesiredTaskCount` ("The desired number of tasks for an Amazon ECS
 * service"), dimensions `ServiceName, ClusterName`, unit Count. Only with Container Insights on the cluster, and
 * "the metrics are charged as custom metrics" (CloudWatch user guide, "Amazon ECS Container Insights metrics",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html).
 */
export const containerInsightsTasks = (
  metric: "RunningTaskCount" | "DesiredTaskCount",
  clusterName: string,
  ecsService: string,
): MetricRef => ({
  namespace: "ECS/ContainerInsights",
  metricName: metric,
  dimensions: { ClusterName: clusterName, ServiceName: ecsService },
  stat: "Average",
});

/**
 * A Network Load Balancer's unhealthy targets: namespace `AWS/NetworkELB`, `UnHealthyHostCount` ("The number of
 * targets that are considered unhealthy", reported if health checks are enabled), dimensions `LoadBalancer`
 * (`net/<name>/<id>`, "the final portion of the load balancer ARN") and `TargetGroup` (`targetgroup/<name>/<id>`);
 * "we recommend that you monitor your Network Load Balancer using either the maximum of HealthyHostCount or the
 * minimum of UnHealthyHostCount" (ELB guide for Network Load Balancers, "CloudWatch metrics for your Network Load
 * Balancer", https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html).
 * The values are Terraform's `arn_suffix` of the load balancer and the target group ("ARN suffix for use with
 * CloudWatch Metrics", the provider's attribute description).
 */
export const nlbUnhealthyHosts = (loadBalancerSuffix: string, targetGroupSuffix: string): MetricRef => ({
  namespace: "AWS/NetworkELB",
  metricName: "UnHealthyHostCount",
  dimensions: { LoadBalancer: loadBalancerSuffix, TargetGroup: targetGroupSuffix },
  stat: "Minimum",
});

/** The dead-letter queue's waiting messages, as its alarm reads them (src/constructs/dead-letter-queue.ts). */
export const sqsVisibleMessages = (queueName: string): MetricRef => ({
  namespace: "AWS/SQS",
  metricName: "ApproximateNumberOfMessagesVisible",
  dimensions: { QueueName: queueName },
  stat: "Maximum",
});
