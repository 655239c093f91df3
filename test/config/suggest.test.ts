import { describe, expect, it } from "vitest";
import { closest, editDistance } from "../../src/config/suggest";

describe("did-you-mean", () => {
  it("counts edits, with a transposition as one", () => {
    expect(editDistance("cpu", "cpu")).toBe(0);
    expect(editDistance("cpus", "cpu")).toBe(1);
    expect(editDistance("mmeory", "memory")).toBe(1);
    expect(editDistance("abc", "xyz")).toBe(3);
  });

  it("suggests the closest known word, or nothing when none is close", () => {
    expect(closest("desiredcount", ["desiredCount", "cpu"])).toBe("desiredCount");
    expect(closest("backend", ["backends", "route"])).toBe("backends");
    expect(closest("zzz", ["backends", "route"])).toBeUndefined();
  });
});
