/** Scaling and alarms read back from a stack's JSON, as the review reads a base and a change. */
import { describe, expect, it } from "vitest";
import { alarmsOfStack, dashboardOfStack, scalingOfStack } from "../../src/terraform/operate-json";
import { resolveEnv } from "../helpers";
import { synthStack } from "../stack-helpers";

const prod = synthStack(resolveEnv("prod"));

describe("reading a stack back", () => {
  it("gives each scaled service's range, policies and schedule", () => {
    expect(scalingOfStack(prod)).toEqual([
      {
        ecsService: "prod-smn-app-mesh-ecs-data-ingestion",
        min: 3,
        max: 9,
        policies: [
          { name: "prod-smn-app-mesh-ecs-data-ingestion-cpu", tracks: "ECSServiceAverageCPUUtilization", target: 70 },
          { name: "prod-smn-app-mesh-ecs-data-ingestion-memory", tracks: "ECSServiceAverageMemoryUtilization", target: 70 },
        ],
        schedule: [],
      },
      {
        ecsService: "prod-smn-app-mesh-ecs-data-processing",
        min: 4,
        max: 20,
        policies: [
          { name: "prod-smn-app-mesh-ecs-data-processing-cpu", tracks: "ECSServiceAverageCPUUtilization", target: 70 },
          { name: "prod-smn-app-mesh-ecs-data-processing-memory", tracks: "ECSServiceAverageMemoryUtilization", target: 80 },
          { name: "prod-smn-app-mesh-ecs-data-processing-requests", tracks: "requests per task", target: 1500 },
        ],
        schedule: [
          { schedule: "cron(0 7 ? * MON-FRI *)", timezone: "Europe/Dublin", min: 8 },
          { schedule: "cron(0 20 * * ? *)", timezone: "Europe/Dublin", min: 4 },
        ],
      },
    ]);
  });

  it("gives every alarm, what it reads, and the services it rolls back", () => {
    const alarms = alarmsOfStack(prod);
    expect(alarms.find((a) => a.name === "prod-smn-app-mesh-ecs-data-processing-error-rate")).toEqual({
      name: "prod-smn-app-mesh-ecs-data-processing-error-rate",
      metrics: ["AWS/ECS/RequestCount", "AWS/ECS/HTTPCode_Target_5XX_Count"],
      expression: "100 * (FILL(e0, 0)) / requests",
      threshold: 1,
      periods: 3,
      rollsBack: ["prod-smn-app-mesh-ecs-data-processing"],
    });
    expect(alarms.find((a) => a.name === "prod-smn-app-mesh-ecs-dead-letters-visible")).toMatchObject({
      metrics: ["AWS/SQS/ApproximateNumberOfMessagesVisible"],
      rollsBack: [],
    });
    // The monitoring stack's alarm the file names is not the stack's own.
    expect(alarms.map((a) => a.name)).not.toContain("prod-data-processing-5xx");
    expect(dashboardOfStack(prod)).toBe("prod-smn-app-mesh-ecs");
  });
});
