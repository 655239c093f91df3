/** data-processing: validates telemetry, flags anomalies, keeps per-vehicle aggregates; can inject 503s. */
import type { Server } from "node:http";
import { parseTelemetry } from "../shared/ev";
import { createApp, type Logger, type Reply, requestIdOf } from "../shared/http";
import { FAULT_MESSAGE, FaultInjector } from "./faults";
import { Processor } from "./processor";

export const SERVICE = "data-processing";

export interface ProcessingOptions {
  log: Logger;
  faults?: FaultInjector;
  processor?: Processor;
}

export function createProcessingApp({ log, faults = new FaultInjector(), processor = new Processor() }: ProcessingOptions): Server {
  return createApp(
    {
      "/health-check": { GET: () => ({ status: 200, body: { status: "ok", service: SERVICE } }) },
      "/ev": {
        POST: ({ req, body, requestId }): Reply => {
          const header = req.headers["x-503"];
          const fault = faults.decide(Array.isArray(header) ? header[0] : header, requestIdOf(req));
          if (fault) return { status: 503, body: { error: FAULT_MESSAGE }, log: { fault } };
          const parsed = parseTelemetry(body);
          if (!parsed.ok) return { status: 400, body: { error: "invalid telemetry", problems: parsed.problems } };
          return { status: 200, body: { request_id: requestId, ...processor.process(parsed.value) } };
        },
      },
    },
    log,
  );
}
