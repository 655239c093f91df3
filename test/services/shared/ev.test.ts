import { describe, expect, it } from "vitest";
import { parseTelemetry } from "../../../src/services/shared/ev";
import { READING } from "../helpers";

describe("EV telemetry schema", () => {
  it("accepts the reference reading", () => {
    expect(parseTelemetry(READING)).toEqual({ ok: true, value: READING });
  });

  it("names each bad field", () => {
    const bad = { ...READING, location: { latitude: 91, longitude: -181 }, battery: { ...READING.battery, percentage: -1 }, speed: -5 };
    const result = parseTelemetry(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual(["location.latitude", "location.longitude", "battery.percentage", "speed"]);
  });

  it("says which fields are missing, which are unknown, and rejects non-ISO timestamps", () => {
    const { vehicle_id: _, ...rest } = READING;
    const result = parseTelemetry({ ...rest, timestamp: "yesterday", colour: "red" });
    expect(result).toEqual({
      ok: false,
      problems: [
        { field: "vehicle_id", message: "is required" },
        { field: "timestamp", message: "must be an ISO-8601 date-time such as 2024-05-01T12:00:00Z" },
        { field: "colour", message: expect.stringContaining("colour") },
      ],
    });
  });

  it("rejects a body that is not an object", () => {
    expect(parseTelemetry([1, 2])).toMatchObject({ ok: false, problems: [{ field: "(body)" }] });
  });
});
