/**
 * data-processing: validates telemetry, flags anomalies, keeps per-vehicle aggregates; can inject 503s.
 * Idempotent by request id: a reading sent again is answered, not processed twice. GET /stats says how many
 * distinct requests it has processed, so a run can be accounted.
 */
import type { Server } from "node:http";
import { parseTelemetry } from "../shared/ev";
import { createApp, type Logger, type Reply, requestIdOf } from "../shared/http";
import { FAULT_MESSAGE, FaultInjector } from "./faults";
import { ProcessedIds } from "./processed-ids";
import { Processor } from "./processor";

export const SERVICE = "data-processing";

export interface ProcessingOptions {
  log: Logger;
  faults?: FaultInjector;
  processor?: Processor;
  processed?: ProcessedIds;
}

export function createProcessingApp({
  log,
  faults = new FaultInjector(),
  processor = new Processor(),
  processed = new ProcessedIds(),
}: ProcessingOptions): Server {
  let duplicates = 0;
  const server = createApp(
    {
      "/health-check": { GET: () => ({ status: 200, body: { status: "ok", service: SERVICE } }) },
      "/stats": { GET: () => ({ status: 200, body: { processed: processed.count, duplicates, vehicles: processor.size } }) },
      "/ev": {
        POST: ({ req, body, requestId }): Reply => {
          const header = req.headers["x-503"];
          const fault = faults.decide(Array.isArray(header) ? header[0] : header, requestIdOf(req));
          if (fault) return { status: 503, body: { error: FAULT_MESSAGE }, log: { fault } };
          const parsed = parseTelemetry(body);
          if (!parsed.ok) return { status: 400, body: { error: "invalid telemetry", problems: parsed.problems } };
          if (processed.has(requestId)) {
            duplicates++;
            return {
              status: 200,
              body: { request_id: requestId, vehicle_id: parsed.value.vehicle_id, duplicate: true },
              log: { duplicate: true },
            };
          }
          const result = processor.process(parsed.value);
          processed.add(requestId);
          return { status: 200, body: { request_id: requestId, ...result } };
        },
      },
    },
    log,
  );
  server.on("close", () => processed.close());
  return server;
}
