/** The monthly Fargate compute of an environment, priced only where the price table has a source. */
import { describe, expect, it } from "vitest";
import { environmentCost, renderCost } from "../../src/review/cost";
import { DEV_YAML, edit, resolve } from "../helpers";

describe("environment cost", () => {
  const usEast = resolve(edit(DEV_YAML, "region: eu-west-1", "region: us-east-1").replace(/eu-west-1/g, "us-east-1"));

  it("counts every task's vCPU-hours and GB-hours, and prices them on demand in a region with a price", () => {
    const cost = environmentCost(usEast);
    // Two tasks of 0.5 vCPU and 1 GB, 730 hours: 730 vCPU-hours, 1,460 GB-hours.
    expect([cost.vcpuHours, cost.gbHours]).toEqual([730, 1460]);
    expect(cost.usd).toBeCloseTo(730 * 0.04048 + 1460 * 0.004445, 6);
    // Envoy 128 + X-Ray 32 of 512 CPU units; 256 + 128 of 1024 MiB.
    expect(cost.sidecarShare).toEqual({ cpu: 37.5, memory: 37.5 });
  });

  it("says how the cost changes", () => {
    const more = resolve(
      edit(
        edit(DEV_YAML, "region: eu-west-1", "region: us-east-1").replace(/eu-west-1/g, "us-east-1"),
        "    desiredCount: 1\n    timeout: 65s",
        "    desiredCount: 3\n    timeout: 65s",
      ),
    );
    expect(renderCost(environmentCost(more), environmentCost(usEast))).toBe(
      "**Fargate compute**: 1,460 vCPU-hours and 2,920 GB-hours a month (was 730 and 1,460); sidecars take 37.5% of the CPU and 37.5% of the memory; $72.08 a month on demand (+$36.04, was $36.04)",
    );
  });

  it("says a region has no price rather than guessing one", () => {
    expect(environmentCost(resolve(DEV_YAML)).usd).toEqual({
      unknown: "no Fargate price for eu-west-1 in src/review/prices.ts (as of 2026-11-23)",
    });
  });
});
