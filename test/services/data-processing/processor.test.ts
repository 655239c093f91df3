import { describe, expect, it } from "vitest";
import { detectAnomalies, Processor } from "../../../src/services/data-processing/processor";
import { READING } from "../helpers";

describe("data-processing's processor", () => {
  it("finds no anomaly in a normal reading", () => {
    expect(detectAnomalies(READING)).toEqual([]);
  });

  it("flags battery temperature and voltage out of range, and impossible speed", () => {
    const hot = { ...READING, battery: { ...READING.battery, temperature: 75, voltage: 150 }, speed: 420 };
    expect(detectAnomalies(hot)).toEqual([
      "battery temperature 75 °C outside -30..60",
      "battery voltage 150 V outside 200..1000",
      "speed 420 km/h above 300",
    ]);
  });

  it("flags an odometer going backwards for the same vehicle only", () => {
    const p = new Processor();
    p.process(READING);
    expect(p.process({ ...READING, odometer: 100 }).anomalies).toEqual(["odometer went backwards from 15234.7 to 100"]);
    expect(p.process({ ...READING, vehicle_id: "EV-002", odometer: 100 }).anomalies).toEqual([]);
  });

  it("keeps a rolling aggregate per vehicle", () => {
    const p = new Processor();
    p.process({ ...READING, speed: 60, battery: { ...READING.battery, percentage: 80 } });
    const { aggregate } = p.process({ ...READING, speed: 100, odometer: 15240, battery: { ...READING.battery, percentage: 70 } });
    expect(aggregate).toEqual({
      readings: 2,
      meanSpeed: 80,
      maxSpeed: 100,
      minBattery: 70,
      lastBattery: 70,
      lastOdometer: 15240,
      lastTimestamp: READING.timestamp,
    });
  });

  it("forgets the least recently seen vehicle past its bound", () => {
    const p = new Processor(2);
    for (const id of ["a", "b", "a", "c"]) p.process({ ...READING, vehicle_id: id });
    expect(p.size).toBe(2);
    expect(p.process({ ...READING, vehicle_id: "a" }).aggregate.readings).toBe(3);
    expect(p.process({ ...READING, vehicle_id: "b" }).aggregate.readings).toBe(1);
  });
});
