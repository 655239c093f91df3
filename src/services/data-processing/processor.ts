/** What data-processing does with a reading: flag anomalies and keep a rolling per-vehicle aggregate. */
import type { EvTelemetry } from "../shared/ev";

export const LIMITS = {
  /** Battery pack temperature, °C, outside which a reading is anomalous. */
  temperature: { min: -30, max: 60 },
  /** Pack voltage, V: 400 V and 800 V architectures both fit. */
  voltage: { min: 200, max: 1000 },
  /** km/h no road vehicle reaches. */
  maxSpeed: 300,
} as const;

/** Vehicles whose aggregates are kept; the least recently seen are dropped past this. */
export const MAX_VEHICLES = 100_000;

export interface Aggregate {
  readings: number;
  meanSpeed: number;
  maxSpeed: number;
  minBattery: number;
  lastBattery: number;
  lastOdometer: number;
  lastTimestamp: string;
}

export interface ProcessResult {
  vehicle_id: string;
  anomalies: string[];
  aggregate: Aggregate;
}

export class Processor {
  private readonly vehicles = new Map<string, Aggregate>();

  constructor(private readonly maxVehicles = MAX_VEHICLES) {}

  process(ev: EvTelemetry): ProcessResult {
    const previous = this.vehicles.get(ev.vehicle_id);
    const anomalies = detectAnomalies(ev, previous);
    const aggregate = update(previous, ev);
    this.vehicles.delete(ev.vehicle_id); // re-insert: Map order is then least recently seen first
    this.vehicles.set(ev.vehicle_id, aggregate);
    if (this.vehicles.size > this.maxVehicles) this.vehicles.delete(this.vehicles.keys().next().value!);
    return { vehicle_id: ev.vehicle_id, anomalies, aggregate };
  }

  get size(): number {
    return this.vehicles.size;
  }
}

export function detectAnomalies(ev: EvTelemetry, previous?: Aggregate): string[] {
  const out: string[] = [];
  const { temperature, voltage } = ev.battery;
  if (temperature < LIMITS.temperature.min || temperature > LIMITS.temperature.max) {
    out.push(`battery temperature ${temperature} °C outside ${LIMITS.temperature.min}..${LIMITS.temperature.max}`);
  }
  if (voltage < LIMITS.voltage.min || voltage > LIMITS.voltage.max) {
    out.push(`battery voltage ${voltage} V outside ${LIMITS.voltage.min}..${LIMITS.voltage.max}`);
  }
  if (ev.speed > LIMITS.maxSpeed) out.push(`speed ${ev.speed} km/h above ${LIMITS.maxSpeed}`);
  if (previous && ev.odometer < previous.lastOdometer) {
    out.push(`odometer went backwards from ${previous.lastOdometer} to ${ev.odometer}`);
  }
  return out;
}

function update(previous: Aggregate | undefined, ev: EvTelemetry): Aggregate {
  if (!previous) {
    return {
      readings: 1,
      meanSpeed: ev.speed,
      maxSpeed: ev.speed,
      minBattery: ev.battery.percentage,
      lastBattery: ev.battery.percentage,
      lastOdometer: ev.odometer,
      lastTimestamp: ev.timestamp,
    };
  }
  const readings = previous.readings + 1;
  return {
    readings,
    meanSpeed: previous.meanSpeed + (ev.speed - previous.meanSpeed) / readings,
    maxSpeed: Math.max(previous.maxSpeed, ev.speed),
    minBattery: Math.min(previous.minBattery, ev.battery.percentage),
    lastBattery: ev.battery.percentage,
    lastOdometer: Math.max(previous.lastOdometer, ev.odometer),
    lastTimestamp: ev.timestamp,
  };
}
