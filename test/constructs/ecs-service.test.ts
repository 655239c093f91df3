/** ECS services: how each deployment strategy reaches the synthesized service, and test traffic under Service Connect. */
import { describe, expect, it } from "vitest";
import { resolve } from "../helpers";
import { one, synthStack } from "../stack-helpers";
import { trafficYaml } from "../traffic-yaml";

const worker = (deployment: string) =>
  one(
    synthStack(resolve(trafficYaml({ worker: `    deployment: ${deployment}` }))),
    "aws_ecs_service",
    (s) => s.name === "dev-shop-worker",
  );

describe("deployment strategies", () => {
  it("leaves a rolling deployment as it was: circuit breaker with rollback, no deployment_configuration", () => {
    const s = worker("{ minimumHealthyPercent: 50 }");
    expect(s.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    expect(s.deployment_configuration).toBeUndefined();
    expect(s.timeouts).toBeUndefined();
    expect(s.deployment_minimum_healthy_percent).toBe(50);
  });

  it("makes a canary ECS's CANARY with its share and bake times, rolls back on the alarms, and lets apply wait for it", () => {
    const s = worker(
      "{ strategy: canary, canary: { percent: 12.5, bakeTime: 5m }, bakeTime: 20m, rollbackAlarms: [worker-5xx, worker-latency] }",
    );
    expect(s.deployment_configuration).toEqual({
      strategy: "CANARY",
      bake_time_in_minutes: "20",
      canary_configuration: { canary_percent: 12.5, canary_bake_time_in_minutes: "5" },
    });
    // The alarms the file names, then meshform's own on worker's answers to api (stacks/add-ons/alarms.ts).
    expect(s.alarms).toEqual({
      alarm_names: ["worker-5xx", "worker-latency", "dev-shop-worker-error-rate", "dev-shop-worker-latency-p99"],
      enable: true,
      rollback: true,
    });
    expect(s.deployment_circuit_breaker).toBeUndefined(); // AWS: rolling and blue-green only
    expect(s.timeouts).toEqual({ create: "45m", update: "45m" }); // Terraform's 20m + 5m + 20m of baking
  });

  it("makes linear ECS's LINEAR, waiting for every step", () => {
    const s = worker("{ strategy: linear, linear: { stepPercent: 25, stepBakeTime: 3m }, bakeTime: 0m, rollbackAlarms: [a] }");
    expect(s.deployment_configuration).toEqual({
      strategy: "LINEAR",
      bake_time_in_minutes: "0",
      linear_configuration: { step_percent: 25, step_bake_time_in_minutes: "3" },
    });
    expect(s.timeouts).toEqual({ create: "29m", update: "29m" }); // 3 steps before the last, 3m each
  });

  it("makes blue-green ECS's BLUE_GREEN with the circuit breaker kept, and no wait change when apply does not wait", () => {
    const s = worker("{ strategy: blue-green, bakeTime: 15m, waitForSteadyState: false }");
    expect(s.deployment_configuration).toEqual({ strategy: "BLUE_GREEN", bake_time_in_minutes: "15" });
    expect(s.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    expect(s.timeouts).toBeUndefined();
    expect(s.wait_for_steady_state).toBe(false);
  });

  it("sends requests with the test header to the new revision through Service Connect, escaped as written", () => {
    const s = worker('{ strategy: blue-green, testTraffic: { header: x-beta-user, exact: "${true}" } }');
    expect(s.service_connect_configuration.service[0].client_alias).toEqual({
      port: 3001,
      dns_name: "worker.dev.shop.internal",
      test_traffic_rules: [{ header: { name: "x-beta-user", value: { exact: "$${true}" } } }],
    });
  });
});
