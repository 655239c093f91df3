/**
 * How long `terraform apply` waits for a deployment (issue 15, row 2). Sources: the provider's 20-minute default
 * (terraform-provider-aws, internal/service/ecs/service.go); ECS's 10-minute delay at TEST_TRAFFIC_SHIFT and
 * PRODUCTION_TRAFFIC_SHIFT behind a Network Load Balancer (ECS guide, nlb-resources-for-blue-green.html; an earlier
 * version listed PRE_SCALE_UP too, counted here); linear's step bake "not applied after reaching 100 percent".
 */
import { describe, expect, it } from "vitest";
import type { Deployment } from "../../src/config/model";
import { deploymentWaitMinutes, productionShifts } from "../../src/constructs/deployment-wait";
import { resolve } from "../helpers";
import { one, synthStack } from "../stack-helpers";
import { CERTIFICATE, trafficYaml } from "../traffic-yaml";

const base: Deployment = {
  strategy: "rolling",
  bakeTimeMinutes: 10,
  rollbackAlarms: [],
  minimumHealthyPercent: 100,
  maximumPercent: 200,
  waitForSteadyState: true,
};

describe("deployment waits", () => {
  it("are the provider's 20 minutes for a rolling deployment, with or without a load balancer", () => {
    expect(deploymentWaitMinutes(base, undefined)).toBe(20);
    expect(deploymentWaitMinutes(base, "network")).toBe(20);
  });

  it("add the bake times: blue-green's, canary's share and bake, linear's steps and bake", () => {
    expect(deploymentWaitMinutes({ ...base, strategy: "blue-green", bakeTimeMinutes: 5 }, undefined)).toBe(25);
    expect(
      deploymentWaitMinutes({ ...base, strategy: "canary", bakeTimeMinutes: 30, canary: { percent: 5, bakeTimeMinutes: 15 } }, undefined),
    ).toBe(65);
    // 10% steps: 10 shifts, 9 step bakes of 6 minutes between them, then the deployment's 10.
    const linear: Deployment = { ...base, strategy: "linear", linear: { stepPercent: 10, stepBakeTimeMinutes: 6 } };
    expect(productionShifts(linear)).toBe(10);
    expect(deploymentWaitMinutes(linear, undefined)).toBe(20 + 9 * 6 + 10);
  });

  it("add ECS's 10 minutes per stage behind a Network Load Balancer: pre-scale-up, test shift, and every production shift", () => {
    expect(deploymentWaitMinutes({ ...base, strategy: "blue-green", bakeTimeMinutes: 5 }, "network")).toBe(25 + 3 * 10);
    expect(deploymentWaitMinutes({ ...base, strategy: "canary", canary: { percent: 5, bakeTimeMinutes: 10 } }, "network")).toBe(
      20 + 20 + 4 * 10,
    );
    const linear: Deployment = { ...base, strategy: "linear", linear: { stepPercent: 25, stepBakeTimeMinutes: 6 } };
    expect(deploymentWaitMinutes(linear, "network")).toBe(20 + 3 * 6 + 10 + (2 + 4) * 10);
  });

  it("are the ECS service's create and update timeouts when apply waits for the deployment", () => {
    const staging = trafficYaml({
      api: `    ingress: { certificate: ${CERTIFICATE}, allowedCidrs: [10.0.0.0/8] }\n    deployment: { strategy: blue-green, bakeTime: 5m }`,
    });
    const api = one(synthStack(resolve(staging)), "aws_ecs_service", (s) => s.name === "dev-shop-api");
    expect(api.timeouts).toEqual({ create: "55m", update: "55m" });
    // ECS swaps the target groups at each release: Terraform leaves them (hashicorp/terraform-provider-aws#45678);
    // and the task count, which scaling owns.
    expect(api.lifecycle.ignore_changes).toEqual(["load_balancer", "desired_count"]);
    const quick = one(
      synthStack(resolve(staging.replace(", bakeTime: 5m }", ", bakeTime: 5m, waitForSteadyState: false }"))),
      "aws_ecs_service",
      (s) => s.name === "dev-shop-api",
    );
    expect(quick.timeouts).toBeUndefined();
  });
});
