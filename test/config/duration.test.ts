import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, toAppMeshDuration } from "../../src/config/duration";

describe("durations", () => {
  it("parses milliseconds, seconds and minutes", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("5s")).toBe(5000);
    expect(parseDuration("2m")).toBe(120_000);
  });

  it("rejects other forms", () => {
    for (const bad of ["5", "5 s", "1.5s", "5h", "-1s", ""]) expect(() => parseDuration(bad)).toThrow(/duration/);
  });

  it("renders App Mesh units: seconds when whole, else milliseconds", () => {
    expect(toAppMeshDuration(5000)).toEqual({ unit: "s", value: 5 });
    expect(toAppMeshDuration(120_000)).toEqual({ unit: "s", value: 120 });
    expect(toAppMeshDuration(1500)).toEqual({ unit: "ms", value: 1500 });
  });

  it("formats for messages", () => {
    expect(formatDuration(65_000)).toBe("65s");
    expect(formatDuration(250)).toBe("250ms");
  });
});
