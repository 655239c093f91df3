import { describe, expect, it } from "vitest";
import { FaultInjector } from "../../../src/services/data-processing/faults";

describe("fault injection", () => {
  it("always fails with a non-numeric x-503", () => {
    const f = new FaultInjector();
    expect([f.decide("true", "r"), f.decide("true", "r"), f.decide("", "r")]).toEqual(["x-503", "x-503", "x-503"]);
  });

  it("fails the first N attempts of a request id, then serves it", () => {
    const f = new FaultInjector();
    expect([f.decide("2", "r1"), f.decide("2", "r1"), f.decide("2", "r1")]).toEqual(["x-503-count", "x-503-count", undefined]);
    expect(f.decide("2", "r2")).toBe("x-503-count");
  });

  it("fails every attempt of x-503: N when there is no request id to count by", () => {
    const f = new FaultInjector();
    expect([f.decide("1", undefined), f.decide("1", undefined)]).toEqual(["x-503", "x-503"]);
  });

  it("fails a share of requests at random with FAULT_503_RATE", () => {
    const rolls = [0.1, 0.9, 0.2, 0.6];
    const f = new FaultInjector(0.5, () => rolls.shift()!);
    expect([1, 2, 3, 4].map(() => f.decide(undefined, "r"))).toEqual(["random", undefined, "random", undefined]);
    expect(new FaultInjector(0).decide(undefined, "r")).toBeUndefined();
  });

  it("rejects a rate outside 0..1", () => {
    expect(() => new FaultInjector(2)).toThrow("FAULT_503_RATE must be between 0 and 1, got 2");
    expect(() => new FaultInjector(Number.NaN)).toThrow(/FAULT_503_RATE/);
  });
});
