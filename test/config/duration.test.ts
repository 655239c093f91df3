import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../src/config/duration";

describe("durations", () => {
  it("parses milliseconds, seconds and minutes", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("5s")).toBe(5000);
    expect(parseDuration("2m")).toBe(120_000);
  });

  it("rejects other forms", () => {
    for (const bad of ["5", "5 s", "1.5s", "5h", "-1s", ""]) expect(() => parseDuration(bad)).toThrow(/duration/);
  });

  it("formats for messages", () => {
    expect(formatDuration(65_000)).toBe("65s");
    expect(formatDuration(250)).toBe("250ms");
  });
});
