import { describe, expect, it } from "vitest";
import { describeFargateMemory, FARGATE_MEMORY_BY_CPU } from "../../src/config/limits";

describe("Fargate sizes", () => {
  it("follows AWS's table of CPU and memory pairs", () => {
    expect(FARGATE_MEMORY_BY_CPU[256]).toEqual([512, 1024, 2048]);
    expect(FARGATE_MEMORY_BY_CPU[512]).toEqual([1024, 2048, 3072, 4096]);
    expect(FARGATE_MEMORY_BY_CPU[4096]!.at(-1)).toBe(30720);
    expect(FARGATE_MEMORY_BY_CPU[8192]!.slice(0, 2)).toEqual([16384, 20480]);
    expect(FARGATE_MEMORY_BY_CPU[16384]!.at(-1)).toBe(122880);
  });

  it("describes the allowed memory for a CPU size", () => {
    expect(describeFargateMemory(256)).toBe("512, 1024, 2048");
    expect(describeFargateMemory(2048)).toBe("4096-16384 in steps of 1024");
  });
});
