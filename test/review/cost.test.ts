/** The monthly Fargate compute of an environment, priced only where the price table has a dated source. */
import { describe, expect, it } from "vitest";
import { environmentCost, exceeds, parseCostLimit, renderCost, spotTasks, stackCost } from "../../src/review/cost";
import { FARGATE, HOURS_PER_MONTH } from "../../src/review/prices";
import { APPMESH_QA_FILE, APPMESH_QA_YAML, DEV_FILE, DEV_YAML, edit, envFile, envYaml, resolve, resolveEnv } from "../helpers";
import { stackOf } from "./review-helpers";

const EU_WEST_1 =
  "eu-west-1 x86 $0.04048 per vCPU-hour and $0.004445 per GB-hour; AWS Price List, EU-Fargate-* usage types, as of 2026-05-01";

describe("environment cost", () => {
  it("counts every task's vCPU-hours and GB-hours, and prices them on demand where the region has a price", () => {
    const cost = environmentCost(resolve(DEV_YAML));
    // Two tasks of 0.5 vCPU and 1 GB, 730 hours: 730 vCPU-hours, 1,460 GB-hours.
    expect([cost.vcpuHours, cost.gbHours]).toEqual([730, 1460]);
    expect(cost.usd).toBeCloseTo(730 * 0.04048 + 1460 * 0.004445, 6);
    // Envoy 128 + X-Ray 32 of 512 CPU units; 256 + 128 of 1024 MiB.
    expect(cost.sidecarShare).toEqual({ cpu: 37.5, memory: 37.5 });
    expect(renderCost(cost)).toBe(
      `**Fargate compute**: 730 vCPU-hours and 1,460 GB-hours a month; sidecars take 37.5% of the CPU and 37.5% of the memory; $36.04 a month on demand (${EU_WEST_1})`,
    );
  });

  it("says how the cost changes, in dollars and percent", () => {
    const more = resolve(edit(DEV_YAML, "    desiredCount: 1\n    timeout: 65s", "    desiredCount: 3\n    timeout: 65s"));
    expect(renderCost(environmentCost(more), environmentCost(resolve(DEV_YAML)))).toBe(
      `**Fargate compute**: 1,460 vCPU-hours and 2,920 GB-hours a month (was 730 and 1,460); sidecars take 37.5% of the CPU and 37.5% of the memory; $72.08 a month on demand (+$36.04, +100.0%, was $36.04) (${EU_WEST_1})`,
    );
  });

  it("says a region has no price rather than guessing one, and keeps the hours", () => {
    const text = edit(DEV_YAML, "region: eu-west-1", "region: sa-east-1").replace(/eu-west-1/g, "sa-east-1");
    const cost = environmentCost(resolve(text));
    expect(cost.usd).toEqual({ unknown: "no Fargate price for sa-east-1 in src/review/prices.ts" });
    expect(renderCost(cost)).toBe(
      "**Fargate compute**: 730 vCPU-hours and 1,460 GB-hours a month; sidecars take 37.5% of the CPU and 37.5% of the memory; price unknown: no Fargate price for sa-east-1 in src/review/prices.ts",
    );
  });

  it("has a source and a date for every region's price, x86 on demand in each, and the regions the fixtures use", () => {
    for (const [region, p] of Object.entries(FARGATE)) {
      expect(p.source, region).toMatch(/^AWS Price List, [A-Z0-9]+-Fargate-\* usage types$/);
      expect(p.asOf, region).toMatch(/^2026-\d\d-\d\d$/);
      expect(p.onDemand.x86, region).toBeDefined();
      // ARM has been 0.8 × x86 wherever both are known: a check on the figures, not a source of them.
      if (p.onDemand.arm) expect(p.onDemand.arm.vcpuHour / p.onDemand.x86!.vcpuHour, region).toBeCloseTo(0.8, 2);
    }
    for (const env of ["dev", "prod", "qa", "staging"]) expect(Object.keys(FARGATE)).toContain(resolveEnv(env).region);
    expect(Object.keys(FARGATE)).toContain("us-east-1");
  });
});

describe("cost from a stack", () => {
  it("agrees with the model's where every ECS service is a service's", () => {
    for (const env of ["dev", "prod", "staging"]) {
      const model = resolveEnv(env);
      const [fromModel, fromStack] = [environmentCost(model), stackCost(env, stackOf(envYaml(env), envFile(env)))];
      expect([fromStack.vcpuHours, fromStack.gbHours, fromStack.sidecarShare], env).toEqual([
        fromModel.vcpuHours,
        fromModel.gbHours,
        fromModel.sidecarShare,
      ]);
      expect(fromStack.usd, env).toBeCloseTo(fromModel.usd as number, 6);
    }
  });

  it("adds what a month costs with every scaled service at the top of its range (scaling's max_capacity)", () => {
    // dev's two services scale from 1 to 2 tasks (twice desiredCount, the default): at the top, twice the cost.
    const cost = stackCost("dev", stackOf(DEV_YAML, DEV_FILE));
    expect(cost.atMaxUsd).toBeCloseTo(2 * (730 * 0.04048 + 1460 * 0.004445), 6);
    expect(renderCost(cost)).toContain("$36.04 a month on demand");
    expect(renderCost(cost)).toContain(`(${EU_WEST_1}); up to $72.08 a month with every service at the top of its scaling range`);
    const fixed = stackCost(
      "dev",
      stackOf(DEV_YAML.replace(/\n {4}desiredCount: 1\n/g, "\n    desiredCount: 1\n    scaling: false\n"), DEV_FILE),
    );
    expect(fixed.atMaxUsd).toBeUndefined();
  });

  it("gives every fixture environment (copies of the shipped ones) a dollar figure with its price's source and date", () => {
    const figures = ["dev", "prod", "qa", "staging"].map((env) => renderCost(stackCost(env, stackOf(envYaml(env), envFile(env)))));
    expect(
      figures.map(
        (f) =>
          /; (\$[\d.]+) a month on demand \(eu-west-1 x86 .*; AWS Price List, EU-Fargate-\* usage types, as of 2026-05-01\)/.exec(f)?.[1],
      ),
    ).toEqual(["$36.04", "$396.44", "$90.10", "$108.12"]);
  });

  it("counts an App Mesh gateway's tasks, which the model's services do not, whole as the sidecars'", () => {
    const qa = resolve(APPMESH_QA_YAML, APPMESH_QA_FILE);
    const [fromModel, fromStack] = [environmentCost(qa), stackCost("appmesh-qa", stackOf(APPMESH_QA_YAML, APPMESH_QA_FILE))];
    // Two gateway tasks of 256 CPU units and 512 MiB.
    expect(fromStack.vcpuHours - fromModel.vcpuHours).toBe(2 * 0.25 * HOURS_PER_MONTH);
    expect(fromStack.gbHours - fromModel.gbHours).toBe(2 * 0.5 * HOURS_PER_MONTH);
    expect(fromStack.sidecarShare.cpu).toBeGreaterThan(fromModel.sidecarShare.cpu);
  });

  it("adds VPC Lattice's hours (a service per called service) with the traffic's rates, the source and its date, from the stack and the model alike", () => {
    const east = (text: string) => text.replace(/eu-west-1/g, "us-east-1");
    const [yaml, file] = [east(envYaml("qa")), envFile("qa")];
    const [fromStack, fromModel] = [stackCost("qa", stackOf(yaml, file)), environmentCost(resolve(yaml, file))];
    expect(fromStack.provider).toEqual(fromModel.provider);
    expect(fromStack.provider).toMatchObject({ what: "VPC Lattice", units: 1, hours: HOURS_PER_MONTH, usd: 18.25 });
    expect(renderCost(fromStack).split("\n")[1]).toBe(
      "**VPC Lattice**: 1 service × 730 hours = $18.25 a month at $0.025 an hour each; traffic adds $0.025 per GB processed and $0.10 per million requests beyond 300,000 an hour each (us-east-1; AWS, Amazon VPC Lattice pricing (example 1), as of 2026-11-27; unverified: the request price); with the Fargate compute, $108.35 a month before traffic",
    );
    // Where prices.ts has no price, the hours and why.
    expect(renderCost(stackCost("qa", stackOf(envYaml("qa"), file))).split("\n")[1]).toBe(
      "**VPC Lattice**: 1 service, 730 service-hours a month; price unknown: no VPC Lattice price for eu-west-1 in src/review/prices.ts",
    );
    expect(stackCost("dev", stackOf(envYaml("dev"), envFile("dev"))).provider).toBeUndefined();
  });

  it("estimates the tasks the capacity provider weights put on Spot, priced at Spot's unverified snapshot", () => {
    // FARGATE base 1 weight 1, FARGATE_SPOT weight 1: of 2 tasks one on demand, the other half and half.
    expect(
      spotTasks(2, [
        { capacity_provider: "FARGATE", base: 1, weight: 1 },
        { capacity_provider: "FARGATE_SPOT", weight: 1 },
      ]),
    ).toBe(0.5);
    expect(spotTasks(3, [{ capacity_provider: "FARGATE_SPOT", weight: 1 }])).toBe(3);
    expect(spotTasks(3, undefined)).toBe(0);
    const staging = stackCost("staging", stackOf(envYaml("staging"), envFile("staging")));
    expect(staging.spot).toMatchObject({ tasks: 1, of: 4 });
    expect(staging.spot!.usd).toBeLessThan(staging.usd as number);
    expect(renderCost(staging)).toMatch(
      /; by the capacity provider weights about 1 of 4 tasks run on FARGATE_SPOT, about \$\d+\.\d\d a month with them at Spot's price \(an unverified snapshot from theuves\/fgcalc, undated; Spot prices change\)$/,
    );
  });

  it("prices an ARM task definition at the ARM rate, and says when a region has no ARM price", () => {
    const stack = stackOf(DEV_YAML, DEV_FILE);
    for (const task of Object.values(stack.resource.aws_ecs_task_definition) as { runtime_platform: Record<string, string> }[])
      task.runtime_platform.cpu_architecture = "ARM64";
    expect(stackCost("dev", stack).usd).toBeCloseTo(730 * 0.03238 + 1460 * 0.00356, 6);
    stack.provider.aws[0].region = "eu-central-1";
    expect(stackCost("dev", stack).usd).toEqual({ unknown: "no arm Fargate price for eu-central-1 in src/review/prices.ts" });
  });
});

describe("--max-cost-increase", () => {
  const before = environmentCost(resolve(DEV_YAML));
  const after = environmentCost(resolve(edit(DEV_YAML, "    desiredCount: 1\n    timeout: 65s", "    desiredCount: 2\n    timeout: 65s")));

  it("reads a percentage or dollars a month", () => {
    expect([parseCostLimit("20%"), parseCostLimit("$50"), parseCostLimit("12.5"), parseCostLimit("lots")]).toEqual([
      { percent: 20 },
      { usd: 50 },
      { usd: 12.5 },
      undefined,
    ]);
  });

  it("is exceeded by a rise beyond it, not by one within it nor by a fall", () => {
    // One more task of data-processing: +$18.02, +50%.
    expect(exceeds(after, before, { percent: 20 })).toBe("+$18.02 (+50.0%), from $36.04 to $54.06");
    expect(exceeds(after, before, { percent: 50 })).toBeUndefined();
    expect(exceeds(after, before, { usd: 10 })).toBe("+$18.02 (+50.0%), from $36.04 to $54.06");
    expect(exceeds(after, before, { usd: 20 })).toBeUndefined();
    expect(exceeds(before, after, { usd: 0 })).toBeUndefined();
    expect(exceeds(after, undefined, { usd: 0 })).toBeUndefined();
  });

  it("cannot be checked where a side has no price", () => {
    const sa = environmentCost(resolve(envYaml("dev").replace(/eu-west-1/g, "sa-east-1")));
    expect(exceeds(sa, before, { usd: 0 })).toBeUndefined();
  });
});
