/**
 * Operating a service, as the config layer sees it: the scaling and alarms schema and their defaults, the cron
 * conversion, the pure functions the review and `explain` call, and the checks MF701-MF706 and MF302 at their lines.
 */
import { describe, expect, it } from "vitest";
import { FARGATE_VCPU_QUOTA } from "../../src/config/limits";
import {
  callersOf,
  dashboardName,
  dashboardUrl,
  maxVcpus,
  monthlyComputeRange,
  ownRollbackAlarms,
  scalingRange,
} from "../../src/config/operate-model";
import { awsCron } from "../../src/config/operate-schema";
import { PROVIDERS, providerOf } from "../../src/providers";
import { envYaml, resolve, resolveEnv, validate } from "../helpers";
import { TRAFFIC_FILE, trafficYaml } from "../traffic-yaml";

const worker = (lines: string) => resolve(trafficYaml({ worker: lines })).services[1]!;

describe("scaling", () => {
  it("is on by default: desiredCount at the bottom, twice it at the top, CPU and memory at 75%, 60 s out and 300 s in (terraform-aws-modules/ecs's defaults)", () => {
    const s = worker("    desiredCount: 3");
    expect(s.scaling).toEqual({
      cpuPercent: 75,
      memoryPercent: 75,
      schedule: [],
      cooldown: { scaleOutSeconds: 60, scaleInSeconds: 300 },
      resolutionSeconds: 60,
    });
    expect(scalingRange(s)).toEqual({ min: 3, max: 6 });
  });

  it("takes percentages as written (70% or 70), false for a target it should not track, and its own bounds and cooldowns", () => {
    const s = worker(
      "    desiredCount: 2\n    scaling: { min: 2, max: 20, cpu: 70%, memory: false, requestsPerTask: 500, cooldown: { scaleOut: 30s, scaleIn: 10m } }",
    );
    expect(s.scaling).toMatchObject({
      min: 2,
      max: 20,
      cpuPercent: 70,
      requestsPerTask: 500,
      cooldown: { scaleOutSeconds: 30, scaleInSeconds: 600 },
    });
    expect(s.scaling!.memoryPercent).toBeUndefined();
    expect(worker("    scaling: { cpu: 62.5 }").scaling!.cpuPercent).toBe(62.5);
  });

  it("is off with scaling: false, and for a service parked at 0 tasks unless written", () => {
    expect(worker("    scaling: false").scaling).toBeUndefined();
    expect(worker("    desiredCount: 0").scaling).toBeUndefined();
    expect(scalingRange(worker("    desiredCount: 0\n    scaling: { max: 2 }"))).toEqual({ min: 0, max: 2 });
  });

  it("turns five-field cron into Application Auto Scaling's six, with ? for the day it does not name", () => {
    expect(awsCron("0 7 * * MON-FRI")).toEqual({ cron: "cron(0 7 ? * MON-FRI *)" });
    expect(awsCron("0 20 * * *")).toEqual({ cron: "cron(0 20 * * ? *)" });
    expect(awsCron("*/15 8-18 1 jan,jul *")).toEqual({ cron: "cron(*/15 8-18 1 jan,jul ? *)" });
    expect(awsCron("0 7 * * 1-5")).toEqual({
      error: "day of week must be written by name (SUN-SAT, e.g. MON-FRI) or *: Unix numbers Sunday 0, AWS numbers it 1",
    });
    expect(awsCron("0 7 1 * MON")).toEqual({
      error: "AWS schedules on the day of the month or the day of the week, not both: set one to *",
    });
    expect(awsCron("0 7 * *")).toMatchObject({ error: expect.stringMatching(/^must have five fields/) });
  });

  it("refuses a cron it cannot convert, at its line", () => {
    expect(validate(trafficYaml({ worker: '    scaling: { schedule: [{ cron: "0 7 * * 1-5", min: 2 }] }' }), TRAFFIC_FILE)).toEqual([
      'dev.yaml:18:35 services.worker.scaling.schedule[0].cron: day of week must be written by name (SUN-SAT, e.g. MON-FRI) or *: Unix numbers Sunday 0, AWS numbers it 1, got "0 7 * * 1-5"',
    ]);
  });
});

describe("request metrics", () => {
  it("are published by exactly the providers the capability table says (requestMetrics)", () => {
    for (const p of Object.values(PROVIDERS)) expect(p.metrics !== undefined, p.id).toBe(p.supports("requestMetrics"));
  });
});

describe("alarms", () => {
  it("are on by default: 1% of 5xx, a p99 of half the timeout, 5 minutes below desired, 15 above the target, 2 with an unhealthy target; they roll back", () => {
    expect(worker("    timeout: 30s").alarms).toEqual({
      errorRatePercent: 1,
      latencyP99Ms: 15_000,
      tasksBelowDesiredMinutes: 5,
      saturatedMinutes: 15,
      unhealthyTargetsMinutes: 2,
      rollback: true,
    });
  });

  it("take each threshold as written, false for one the service should not have, and false for all", () => {
    expect(worker("    alarms: { errorRate: 0.5%, latencyP99: 2s, saturated: false, rollback: false }").alarms).toEqual({
      errorRatePercent: 0.5,
      latencyP99Ms: 2000,
      tasksBelowDesiredMinutes: 5,
      unhealthyTargetsMinutes: 2,
      rollback: false,
    });
    expect(worker("    alarms: false").alarms).toEqual({ rollback: false });
  });

  it("measure alarm windows in whole minutes", () => {
    expect(validate(trafficYaml({ worker: "    alarms: { saturated: 90s }" }), TRAFFIC_FILE)).toEqual([
      'dev.yaml:18:26 services.worker.alarms.saturated: must be whole minutes from 1m to 1440m, got "90s"',
    ]);
  });
});

describe("what the review and explain call", () => {
  const prod = resolveEnv("prod");

  it("the scaling range of each service, as prod writes it", () => {
    expect(prod.services.map((s) => [s.name, scalingRange(s)])).toEqual([
      ["data-ingestion", { min: 3, max: 9 }],
      ["data-processing", { min: 4, max: 20 }],
    ]);
  });

  it("the month's compute at the bottom and the top of every range (730 hours a month)", () => {
    // At min: 3 × 1 vCPU + 4 × 2 vCPU = 11 vCPU, 3 × 2 GB + 4 × 4 GB = 22 GB; at max: 9 + 40 = 49 vCPU, 18 + 80 = 98 GB.
    expect(monthlyComputeRange(prod)).toEqual({
      atMin: { vcpuHours: 11 * 730, gbHours: 22 * 730 },
      atMax: { vcpuHours: 49 * 730, gbHours: 98 * 730 },
    });
    expect(maxVcpus(prod.services)).toBe(49);
  });

  it("the dashboard's name and console URL", () => {
    expect(dashboardName(prod)).toBe("prod-smn-app-mesh-ecs");
    expect(dashboardUrl(prod)).toBe(
      "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/prod-smn-app-mesh-ecs",
    );
  });

  it("the alarms that roll a deployment back: meshform's where the service has them, none for rolling deployments", () => {
    const staging = resolveEnv("staging");
    const [ingestion, processing] = staging.services;
    const metrics = providerOf("service-connect").supports("requestMetrics");
    expect(callersOf(staging.services, "data-processing").map((s) => s.name)).toEqual(["data-ingestion"]);
    expect(ownRollbackAlarms(staging, processing!, metrics)).toEqual([
      "staging-smn-app-mesh-ecs-data-processing-error-rate",
      "staging-smn-app-mesh-ecs-data-processing-latency-p99",
    ]);
    // Called by nobody in the mesh, behind a load balancer: its unhealthy targets.
    expect(ownRollbackAlarms(staging, ingestion!, metrics)).toEqual(["staging-smn-app-mesh-ecs-data-ingestion-unhealthy-targets"]);
    expect(ownRollbackAlarms(prod, prod.services[0]!, metrics)).toEqual([]); // rolling
  });
});

describe("the checks", () => {
  const check = (lines: { api?: string; worker?: string; provider?: string }) => validate(trafficYaml(lines), TRAFFIC_FILE);

  it("MF701: the range holds desiredCount and every scheduled minimum", () => {
    expect(check({ worker: "    desiredCount: 5\n    scaling: { min: 1, max: 4 }" })).toEqual([
      "dev.yaml:18:19 services.worker.desiredCount: 5 is above scaling.max (4): Application Auto Scaling would remove the tasks above max as soon as it runs; lower desiredCount to at most 4, or raise max",
    ]);
    expect(check({ worker: "    scaling: { min: 2 }" })).toEqual([
      "dev.yaml:18:21 services.worker.scaling.min: 2 is above desiredCount (1, its default): desiredCount is the count the service starts with, inside scaling's range; set desiredCount: 2, or lower min",
    ]);
    expect(check({ worker: "    scaling: { min: 3, max: 2 }" })).toEqual([
      "dev.yaml:18:21 services.worker.scaling.min: 3 is above max (2): the fewest tasks cannot exceed the most; lower min or raise max",
    ]);
    expect(check({ worker: '    scaling: { max: 4, schedule: [{ cron: "0 7 * * *", min: 6 }] }' })).toEqual([
      "dev.yaml:18:61 services.worker.scaling.schedule[0].min: 6 is above the maximum (4) in force at that time: a scheduled min cannot exceed max; give the action a max too, or lower its min",
    ]);
  });

  it("MF702: requests per task only where the provider publishes request counts", () => {
    expect(check({ provider: "appmesh", worker: "    scaling: { requestsPerTask: 100 }" })).toEqual([
      "dev.yaml:18:33 services.worker.scaling.requestsPerTask: App Mesh publishes no request metrics to CloudWatch by itself (its Envoy's statistics stay on the proxy's admin port unless a CloudWatch agent ships them), so nothing counts requests per task: scale on cpu or memory, or remove requestsPerTask",
    ]);
    expect(check({ worker: "    scaling: { requestsPerTask: 100 }" })).toEqual([]);
  });

  it(`MF703: the tasks at the top of every range within Fargate's vCPU quota (${FARGATE_VCPU_QUOTA.value}, unverified default, as data)`, () => {
    const big = trafficYaml({ worker: "    scaling: { max: 1000 }" }).replace(
      "port: 3001\n    cpu: 1024\n    memory: 2048",
      "port: 3001\n    cpu: 16384\n    memory: 32768",
    );
    expect(validate(big, TRAFFIC_FILE)).toEqual([
      "dev.yaml:7:1 services: warning: at the top of their scaling ranges these services hold 16002 vCPUs, beyond the 4000 of Fargate's default On-Demand vCPU quota (Fargate On-Demand vCPU resource count, L-3032A538; that default is unverified, and accounts often have less applied): tasks past the quota do not start; check yours in Service Quotas and request an increase, or lower scaling.max",
    ]);
  });

  it("MF704 and MF705: a canary large enough to judge, and an error rate that can see it fail", () => {
    expect(check({ worker: "    deployment: { strategy: canary, canary: { percent: 5 } }\n    scaling: { max: 10 }" })).toEqual([
      "dev.yaml:18:56 services.worker.deployment.canary.percent: warning: 5% of the traffic of at most 10 tasks (scaling.max) is less than one task's share (0.50): the canary's requests are too few to judge the release by before the rest of the traffic moves; raise the percentage to at least 10%, or scaling.max",
    ]);
    expect(check({ worker: "    deployment: { strategy: linear, linear: { stepPercent: 3 } }\n    alarms: { errorRate: 5% }" })).toEqual([
      "dev.yaml:19:26 services.worker.alarms.errorRate: warning: the error-rate alarm (5%) counts every revision's answers together, and a first step of 3% that fails every request raises the rate to 3% at most: it would never roll the release back; set alarms.errorRate below 3%",
    ]);
  });

  it("MF706: an alarm written where its metric does not exist is said, not silently left out", () => {
    expect(check({ api: "    alarms: { errorRate: 2%, unhealthyTargets: 5m }" })).toEqual([
      "dev.yaml:14:26 services.api.alarms.errorRate: warning: Service Connect's proxies measure a service's answers to the services of its namespace that call it, and no service of this file calls api, so this alarm is not made; remove errorRate",
      "dev.yaml:14:48 services.api.alarms.unhealthyTargets: warning: watches the targets of the service's ingress load balancer, and api has no ingress, so this alarm is not made; remove unhealthyTargets",
    ]);
    expect(check({ provider: "appmesh", worker: "    alarms: { latencyP99: 2s }" })).toEqual([
      "dev.yaml:18:27 services.worker.alarms.latencyP99: warning: App Mesh publishes no request metrics to CloudWatch by itself (Envoy's statistics stay on its admin port unless a CloudWatch agent ships them), so this alarm is not made; remove latencyP99, or alarm on your own metrics with rollbackAlarms",
    ]);
    const noInsights = trafficYaml({ worker: "    alarms: { tasksBelowDesired: 5m }" }).replace(
      "services:\n",
      "cluster: { containerInsights: disabled }\nservices:\n",
    );
    expect(validate(noInsights, TRAFFIC_FILE)).toEqual([
      "dev.yaml:19:34 services.worker.alarms.tasksBelowDesired: warning: counts tasks with Container Insights (ECS/ContainerInsights RunningTaskCount and DesiredTaskCount), which cluster.containerInsights: disabled turns off, so this alarm is not made; enable Container Insights (charged as custom metrics), or remove tasksBelowDesired",
    ]);
  });

  it("finds nothing to say of the shipped staging and prod, which show scaling and alarms", () => {
    for (const env of ["staging", "prod"]) expect(validate(envYaml(env), `test/fixtures/envs/${env}.yaml`)).toEqual([]);
  });
});
