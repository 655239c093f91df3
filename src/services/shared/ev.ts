/** The electric-vehicle telemetry both services accept on POST /ev: one schema, shared. */
import { z } from "zod";

export const EvTelemetrySchema = z.strictObject({
  vehicle_id: z.string().min(1).max(128),
  timestamp: z.iso.datetime({ offset: true, error: "must be an ISO-8601 date-time such as 2024-05-01T12:00:00Z" }),
  location: z.strictObject({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
  }),
  battery: z.strictObject({
    percentage: z.number().min(0).max(100),
    voltage: z.number(),
    temperature: z.number(),
  }),
  speed: z.number().min(0),
  odometer: z.number().min(0),
});

export type EvTelemetry = z.infer<typeof EvTelemetrySchema>;

/** The article's sample reading: used by the local harness, the load benchmark and the tests. */
export const SAMPLE_READING: EvTelemetry = {
  vehicle_id: "EV-001",
  timestamp: "2024-05-01T14:00:00+02:00",
  location: { latitude: 48.85, longitude: 2.35 },
  battery: { percentage: 76.5, voltage: 398.2, temperature: 31.4 },
  speed: 88.2,
  odometer: 15234.7,
};

export interface FieldProblem {
  field: string;
  message: string;
}

export type Parsed = { ok: true; value: EvTelemetry } | { ok: false; problems: FieldProblem[] };

/** Validates a decoded body, naming each bad field by its dotted path. */
export function parseTelemetry(body: unknown): Parsed {
  // The plain parse is the hot path; messages are only worked out for a body that fails it.
  const fast = EvTelemetrySchema.safeParse(body);
  if (fast.success) return { ok: true, value: fast.data };
  const result = EvTelemetrySchema.safeParse(body, { error: (iss) => (iss.input === undefined ? "is required" : undefined) });
  return {
    ok: false,
    problems: result.error!.issues.flatMap((issue) => {
      const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      return keys.map((path) => ({ field: path.join(".") || "(body)", message: issue.message }));
    }),
  };
}
