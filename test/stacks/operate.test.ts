/**
 * Scaling, alarms, the dashboard and access logs in the synthesized stacks. Every metric is checked against the AWS
 * page it was written from:
 *
 * - [ECS] ECS developer guide, "Amazon ECS CloudWatch metrics" (available-metrics.html): AWS/ECS CPUUtilization and
 *   MemoryUtilization on ClusterName, ServiceName (Percent); the running tasks as CPUUtilization's SampleCount over one
 *   minute; Service Connect's RequestCount on DiscoveryName, ServiceName, ClusterName, HTTPCode_Target_5XX_Count and
 *   TargetResponseTime (milliseconds) on TargetDiscoveryName, ServiceName (the caller's), ClusterName.
 * - [CI] CloudWatch user guide, "Amazon ECS Container Insights metrics": ECS/ContainerInsights RunningTaskCount and
 *   DesiredTaskCount on ServiceName, ClusterName.
 * - [NLB] ELB guide, "CloudWatch metrics for your Network Load Balancer": AWS/NetworkELB UnHealthyHostCount on
 *   LoadBalancer and TargetGroup (the ARNs' final portions), monitored by its Minimum.
 * - [AAS] Application Auto Scaling user guide: service namespace ecs, dimension ecs:service:DesiredCount, resource
 *   service/<cluster>/<service>; predefined ECSServiceAverageCPUUtilization and ECSServiceAverageMemoryUtilization;
 *   metric math that returns one series; cron(...) of six fields.
 * - [CW] CloudWatch: alarms on metric math reference at most 10 metrics.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_ALARM_METRICS } from "../../src/config/metrics";
import { serviceConnectMetrics } from "../../src/providers/service-connect/metrics";
import { AWS_PROVIDER_VERSION } from "../../stacks/shared";
import { resolve, resolveEnv } from "../helpers";
import { type Json, one, ref, resources, synthStack } from "../stack-helpers";
import { trafficYaml } from "../traffic-yaml";

const staging = synthStack(resolveEnv("staging"));
const prod = synthStack(resolveEnv("prod"));
const dev = synthStack(resolveEnv("dev"));
const OPERATE = "test/fixtures/configs/operate.yaml";
const operate = synthStack(resolve(readFileSync(OPERATE, "utf8"), OPERATE));

const alarm = (stack: Json, name: string) => one(stack, "aws_cloudwatch_metric_alarm", (a) => a.alarm_name === name);
const ecsService = (stack: Json, name: string) => one(stack, "aws_ecs_service", (s) => s.name === name);
/** A metric query of an alarm on metric math, by id, without its period. */
const query = (a: Json, id: string) => a.metric_query.find((q: Json) => q.id === id);

describe("scaling", () => {
  const policy = (stack: Json, name: string) => one(stack, "aws_appautoscaling_policy", (p) => p.name === name);

  it("registers each scaled ECS service as a scalable target: ecs, its DesiredCount, service/<cluster>/<service>, the range [AAS]", () => {
    const t = one(prod, "aws_appautoscaling_target", (x) => x.min_capacity === 4);
    const cluster = one(prod, "aws_ecs_cluster");
    const svc = ecsService(prod, "prod-smn-app-mesh-ecs-data-processing");
    expect(t).toMatchObject({
      service_namespace: "ecs",
      scalable_dimension: "ecs:service:DesiredCount",
      resource_id: `service/${ref("aws_ecs_cluster", cluster, "name")}/${ref("aws_ecs_service", svc, "name")}`,
      min_capacity: 4,
      max_capacity: 20,
    });
    // Scheduled actions move min and max; the YAML's stay Terraform's to apply (an apply sets them back, as planned).
    expect(t.lifecycle).toBeUndefined();
  });

  it("tracks CPU and memory with AWS's predefined metrics, at the YAML's targets, with the cooldowns [AAS]", () => {
    expect(policy(prod, "prod-smn-app-mesh-ecs-data-processing-cpu").target_tracking_scaling_policy_configuration).toEqual({
      predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" },
      target_value: 70,
      scale_out_cooldown: 60,
      scale_in_cooldown: 300,
    });
    expect(policy(prod, "prod-smn-app-mesh-ecs-data-processing-memory").target_tracking_scaling_policy_configuration).toMatchObject({
      predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageMemoryUtilization" },
      target_value: 80,
    });
    const api = policy(operate, "operate-shop-api-cpu").target_tracking_scaling_policy_configuration;
    expect([api.scale_out_cooldown, api.scale_in_cooldown]).toEqual([30, 600]);
    expect(resources(operate, "aws_appautoscaling_policy").map((p) => p.name)).not.toContain("operate-shop-api-memory");
    for (const p of resources(prod, "aws_appautoscaling_policy")) expect(p.policy_type).toBe("TargetTrackingScaling");
  });

  it("tracks requests per task by metric math: Service Connect's RequestCount over the running tasks, one series returned [ECS][AAS]", () => {
    const spec = policy(prod, "prod-smn-app-mesh-ecs-data-processing-requests").target_tracking_scaling_policy_configuration;
    expect(spec.target_value).toBe(1500);
    expect(spec.customized_metric_specification.metrics).toEqual([
      {
        id: "requests",
        metric_stat: {
          metric: {
            namespace: "AWS/ECS",
            metric_name: "RequestCount",
            dimensions: [
              { name: "ClusterName", value: "prod-smn-app-mesh-ecs" },
              { name: "DiscoveryName", value: "data-processing" },
              { name: "ServiceName", value: "prod-smn-app-mesh-ecs-data-processing" },
            ],
          },
          stat: "Sum",
        },
        return_data: false,
      },
      {
        id: "tasks",
        metric_stat: {
          metric: {
            namespace: "AWS/ECS",
            metric_name: "CPUUtilization",
            dimensions: [
              { name: "ClusterName", value: "prod-smn-app-mesh-ecs" },
              { name: "ServiceName", value: "prod-smn-app-mesh-ecs-data-processing" },
            ],
          },
          stat: "SampleCount",
        },
        return_data: false,
      },
      { id: "per_task", expression: "requests / tasks", label: "requests per task per minute", return_data: true },
    ]);
  });

  it("schedules min and max with six-field cron, in the YAML's time zone [AAS]", () => {
    const actions = resources(prod, "aws_appautoscaling_scheduled_action");
    expect(actions.map((a) => [a.schedule, a.timezone, a.scalable_target_action])).toEqual([
      ["cron(0 7 ? * MON-FRI *)", "Europe/Dublin", { min_capacity: "8" }],
      ["cron(0 20 * * ? *)", "Europe/Dublin", { min_capacity: "4" }],
    ]);
    const t = one(prod, "aws_appautoscaling_target", (x) => x.min_capacity === 4);
    for (const a of actions) expect(a.resource_id).toBe(ref("aws_appautoscaling_target", t, "resource_id"));
    expect(resources(operate, "aws_appautoscaling_scheduled_action")[0]!.scalable_target_action).toEqual({
      min_capacity: "4",
      max_capacity: "16",
    });
  });

  it("stops Terraform resetting desired_count once scaling owns it, and only then", () => {
    expect(ecsService(prod, "prod-smn-app-mesh-ecs-data-processing").lifecycle.ignore_changes).toEqual(["desired_count"]);
    expect(ecsService(operate, "operate-shop-batch").lifecycle?.ignore_changes).toBeUndefined();
    expect(resources(operate, "aws_appautoscaling_target")).toHaveLength(2); // api and worker; batch has scaling: false
  });

  it("scales App Mesh services on CPU and memory too, each version on its own", () => {
    expect(resources(dev, "aws_appautoscaling_target").map((t) => [t.min_capacity, t.max_capacity])).toEqual([
      [1, 2],
      [1, 2],
    ]);
    const qa = synthStack(resolveEnv("qa"));
    expect(resources(qa, "aws_appautoscaling_policy").map((p) => p.name)).toContain("qa-smn-app-mesh-ecs-data-processing-v2-cpu");
  });
});

describe("alarms", () => {
  const topic = ref("aws_sns_topic", one(staging, "aws_sns_topic"), "arn");

  it("error rate: 100 × the 5xx its callers saw (summed) / its requests, above the threshold for 3 minutes [ECS][CW]", () => {
    const a = alarm(staging, "staging-smn-app-mesh-ecs-data-processing-error-rate");
    expect(a).toMatchObject({ threshold: 1, comparison_operator: "GreaterThanThreshold", evaluation_periods: 3, datapoints_to_alarm: 3 });
    expect(query(a, "requests").metric).toEqual({
      namespace: "AWS/ECS",
      metric_name: "RequestCount",
      dimensions: {
        ClusterName: "staging-smn-app-mesh-ecs",
        DiscoveryName: "data-processing",
        ServiceName: "staging-smn-app-mesh-ecs-data-processing",
      },
      stat: "Sum",
      period: 60,
    });
    expect(query(a, "e0").metric).toEqual({
      namespace: "AWS/ECS",
      metric_name: "HTTPCode_Target_5XX_Count",
      // ServiceName is the caller's: the target metrics count the traffic "from tasks created by this service".
      dimensions: {
        ClusterName: "staging-smn-app-mesh-ecs",
        ServiceName: "staging-smn-app-mesh-ecs-data-ingestion",
        TargetDiscoveryName: "data-processing",
      },
      stat: "Sum",
      period: 60,
    });
    expect(query(a, "alarmed")).toMatchObject({ expression: "100 * (FILL(e0, 0)) / requests", return_data: true });
    expect(a.metric_query.filter((q: Json) => q.return_data)).toHaveLength(1);
    expect([a.alarm_actions, a.ok_actions]).toEqual([[topic], [topic]]);
  });

  it("p99 latency: TargetResponseTime in milliseconds, as a percentile, ignoring thin samples; the slowest caller's with several [ECS]", () => {
    expect(alarm(staging, "staging-smn-app-mesh-ecs-data-processing-latency-p99")).toMatchObject({
      namespace: "AWS/ECS",
      metric_name: "TargetResponseTime",
      dimensions: {
        ClusterName: "staging-smn-app-mesh-ecs",
        ServiceName: "staging-smn-app-mesh-ecs-data-ingestion",
        TargetDiscoveryName: "data-processing",
      },
      extended_statistic: "p99",
      evaluate_low_sample_count_percentiles: "ignore",
      period: 60,
      threshold: 5000,
    });
    const two = alarm(operate, "operate-shop-worker-latency-p99");
    expect(two.metric_query.map((q: Json) => q.metric?.dimensions.ServiceName ?? q.expression)).toEqual([
      "operate-shop-api",
      "operate-shop-batch",
      "MAX([l0, l1])",
    ]);
    expect(two.metric_query.slice(0, 2).every((q: Json) => q.metric.stat === "p99" && q.metric.metric_name === "TargetResponseTime")).toBe(
      true,
    );
    expect(two.threshold).toBe(800);
  });

  it("past 9 callers, reads the target metrics on TargetDiscoveryName alone, within CloudWatch's 10 metrics [ECS][CW]", () => {
    const callers = Array.from({ length: 12 }, (_, i) => `svc-${i}`);
    const t = { clusterName: "c", ecsService: "s", discoveryName: "d", callers };
    expect(serviceConnectMetrics.serverErrors(t, MAX_ALARM_METRICS - 1)).toEqual([
      { namespace: "AWS/ECS", metricName: "HTTPCode_Target_5XX_Count", dimensions: { TargetDiscoveryName: "d" }, stat: "Sum" },
    ]);
    expect(serviceConnectMetrics.responseTimes({ ...t, callers: callers.slice(0, 10) }, "p99", MAX_ALARM_METRICS)).toHaveLength(10);
    expect(serviceConnectMetrics.measuresResponses({ ...t, callers: [] })).toBe(false);
  });

  it("unhealthy targets: the NLB's UnHealthyHostCount Minimum in both target groups ECS moves between [NLB]", () => {
    const a = alarm(staging, "staging-smn-app-mesh-ecs-data-ingestion-unhealthy-targets");
    const lb = one(staging, "aws_lb");
    const groups = resources(staging, "aws_lb_target_group").sort(
      (a, b) => Number(a.id.includes("alternate")) - Number(b.id.includes("alternate")),
    );
    expect(a.metric_query.slice(0, 2).map((q: Json) => q.metric)).toEqual(
      groups.map((g) => ({
        namespace: "AWS/NetworkELB",
        metric_name: "UnHealthyHostCount",
        dimensions: { LoadBalancer: ref("aws_lb", lb, "arn_suffix"), TargetGroup: ref("aws_lb_target_group", g, "arn_suffix") },
        stat: "Minimum",
        period: 60,
      })),
    );
    expect(query(a, "alarmed").expression).toBe("FILL(t0, 0) + FILL(t1, 0)");
    // prod's ingress does not shift traffic: one target group, a plain alarm.
    expect(alarm(prod, "prod-smn-app-mesh-ecs-data-ingestion-unhealthy-targets")).toMatchObject({
      namespace: "AWS/NetworkELB",
      metric_name: "UnHealthyHostCount",
      statistic: "Minimum",
      threshold: 0,
      evaluation_periods: 2,
    });
  });

  it("tasks below desired: Container Insights' DesiredTaskCount minus RunningTaskCount, where the cluster has it [CI]", () => {
    const a = alarm(staging, "staging-smn-app-mesh-ecs-data-processing-tasks-below-desired");
    for (const [id, metric] of [
      ["desired", "DesiredTaskCount"],
      ["running", "RunningTaskCount"],
    ]) {
      expect(query(a, id!).metric).toEqual({
        namespace: "ECS/ContainerInsights",
        metric_name: metric,
        dimensions: { ClusterName: "staging-smn-app-mesh-ecs", ServiceName: "staging-smn-app-mesh-ecs-data-processing" },
        stat: "Average",
        period: 60,
      });
    }
    expect(query(a, "alarmed").expression).toBe("FILL(desired, 0) - FILL(running, 0)");
    expect(a.evaluation_periods).toBe(5);
    const off = synthStack(resolve(trafficYaml().replace("services:\n", "cluster: { containerInsights: disabled }\nservices:\n")));
    expect(resources(off, "aws_cloudwatch_metric_alarm").filter((x) => x.alarm_name.endsWith("tasks-below-desired"))).toEqual([]);
  });

  it("CPU and memory above the scaling target for 15 minutes: AWS/ECS utilization on ClusterName, ServiceName [ECS]", () => {
    expect(alarm(prod, "prod-smn-app-mesh-ecs-data-processing-cpu-high")).toMatchObject({
      namespace: "AWS/ECS",
      metric_name: "CPUUtilization",
      dimensions: { ClusterName: "prod-smn-app-mesh-ecs", ServiceName: "prod-smn-app-mesh-ecs-data-processing" },
      statistic: "Average",
      threshold: 70,
      evaluation_periods: 15,
      treat_missing_data: "notBreaching",
    });
    expect(alarm(prod, "prod-smn-app-mesh-ecs-data-processing-memory-high")).toMatchObject({
      metric_name: "MemoryUtilization",
      threshold: 80,
    });
    expect(alarm(operate, "operate-shop-worker-cpu-high").evaluation_periods).toBe(30);
  });

  it("under App Mesh: no error-rate or latency alarm (Envoy publishes nothing to CloudWatch by itself), the rest as elsewhere", () => {
    const names = resources(dev, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name);
    expect(names.some((n) => /error-rate|latency/.test(n))).toBe(false);
    expect(names).toContain("dev-smn-app-mesh-ecs-data-processing-cpu-high");
  });

  it("none for a service with alarms: false; every alarm notifies the file's topic when it names one, and meshform makes none", () => {
    expect(resources(operate, "aws_cloudwatch_metric_alarm").filter((a) => a.alarm_name.startsWith("operate-shop-batch"))).toEqual([]);
    for (const a of resources(operate, "aws_cloudwatch_metric_alarm"))
      expect(a.alarm_actions).toEqual(["arn:aws:sns:eu-west-1:123456789012:shop-alerts"]);
    expect(resources(operate, "aws_sns_topic")).toEqual([]);
    expect(operate.output.alarm_topic_arn).toBeUndefined();
    expect(staging.output.alarm_topic_arn.value).toBe(topic);
  });
});

describe("rollback", () => {
  it("canary, linear and blue-green deployments roll back on meshform's alarms, beside those the file names, which exist first", () => {
    const processing = ecsService(staging, "staging-smn-app-mesh-ecs-data-processing");
    expect(processing.alarms).toEqual({
      alarm_names: [
        "staging-data-processing-5xx",
        "staging-smn-app-mesh-ecs-data-processing-error-rate",
        "staging-smn-app-mesh-ecs-data-processing-latency-p99",
      ],
      enable: true,
      rollback: true,
    });
    for (const stack of [staging, prod, operate]) {
      for (const s of resources(stack, "aws_ecs_service")) {
        const own = (s.alarms?.alarm_names ?? []).filter((n: string) => n.startsWith(s.name));
        for (const name of own) {
          // ECS refers to them by name: each exists, and the service depends on it.
          const a = alarm(stack, name);
          expect(s.depends_on).toContain(`aws_cloudwatch_metric_alarm.${a.id}`);
          // The alarms name services literally, so the dependency has no cycle.
          expect(JSON.stringify(a)).not.toContain("aws_ecs_service.");
        }
      }
    }
    // blue-green behind the load balancer: its unhealthy targets.
    expect(ecsService(staging, "staging-smn-app-mesh-ecs-data-ingestion").alarms.alarm_names).toEqual([
      "staging-smn-app-mesh-ecs-data-ingestion-unhealthy-targets",
    ]);
    // a linear release with no rollbackAlarms at all.
    expect(ecsService(operate, "operate-shop-worker").alarms.alarm_names).toEqual([
      "operate-shop-worker-error-rate",
      "operate-shop-worker-latency-p99",
    ]);
  });

  it("leaves rolling deployments to ECS's circuit breaker", () => {
    const ingestion = ecsService(prod, "prod-smn-app-mesh-ecs-data-ingestion");
    expect(ingestion.alarms).toBeUndefined();
    expect(ingestion.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
  });
});

describe("the dashboard", () => {
  const body = JSON.parse(one(staging, "aws_cloudwatch_dashboard").dashboard_body);
  const titles = body.widgets.filter((w: Json) => w.type === "metric").map((w: Json) => w.properties.title);

  it("is one per environment, with its console URL as an output", () => {
    expect(one(staging, "aws_cloudwatch_dashboard").dashboard_name).toBe("staging-smn-app-mesh-ecs");
    expect(staging.output.dashboard_url.value).toBe(
      "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/staging-smn-app-mesh-ecs",
    );
    const off = synthStack(resolve(trafficYaml().replace("services:\n", "dashboard: false\nservices:\n")));
    expect(resources(off, "aws_cloudwatch_dashboard")).toEqual([]);
    expect(off.output.dashboard_url).toBeUndefined();
  });

  it("shows per service requests, error rate, p50/p99 latency, CPU, memory, running tasks, unhealthy targets, and the dead letters", () => {
    expect(titles).toEqual([
      "data-processing: requests and 5xx a minute",
      "data-processing: error rate (%)",
      "data-processing: response time (ms)",
      "data-processing: CPU and memory (%)",
      "data-processing: running tasks",
      "data-ingestion: requests a minute",
      "data-ingestion: CPU and memory (%)",
      "data-ingestion: running tasks",
      "data-ingestion: unhealthy load balancer targets",
      "dead letters waiting",
    ]);
    const widget = (title: string) => body.widgets.find((w: Json) => w.properties.title === title).properties;
    expect(widget("data-processing: response time (ms)").metrics.map((m: unknown[]) => (m.at(-1) as Json).stat)).toEqual(["p50", "p99"]);
    expect(widget("data-processing: error rate (%)").metrics.at(-1)).toEqual([
      { expression: "100 * (FILL(e0, 0)) / requests", label: "5xx, % of requests", id: "rate" },
    ]);
    expect(widget("dead letters waiting").metrics).toEqual([
      [
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        "QueueName",
        "staging-smn-app-mesh-ecs-dead-letters",
        { stat: "Maximum", label: "messages visible" },
      ],
    ]);
    for (const w of body.widgets) expect(w.x + w.width).toBeLessThanOrEqual(24);
  });
});

describe("access logs and the provider's pin", () => {
  it("turn on Service Connect's access logs by override, JSON without query strings, on every ECS service", () => {
    for (const s of resources(staging, "aws_ecs_service")) {
      expect(s.service_connect_configuration.access_log_configuration).toEqual({ format: "JSON", include_query_parameters: "DISABLED" });
    }
    for (const s of resources(dev, "aws_ecs_service")) expect(s.service_connect_configuration).toBeUndefined();
  });

  it("pin the AWS provider that has them: 6.34.0, below the releases reported to break ECS service updates (after 6.52.0)", () => {
    expect(AWS_PROVIDER_VERSION).toBe("6.34.0");
    for (const stack of [staging, dev]) expect(stack.terraform.required_providers.aws).toEqual({ source: "aws", version: "6.34.0" });
  });
});
