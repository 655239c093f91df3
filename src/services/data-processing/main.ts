import { appPort, drainOnSignals, jsonLogger, listen } from "../shared/http";
import { createProcessingApp, SERVICE } from "./app";
import { FaultInjector } from "./faults";
import { ProcessedIds } from "./processed-ids";

const log = jsonLogger(SERVICE);
const server = createProcessingApp({
  log,
  faults: new FaultInjector(Number(process.env.FAULT_503_RATE ?? 0)),
  processed: new ProcessedIds(process.env.PROCESSED_LOG || undefined),
});
drainOnSignals(server, log);
listen(server, appPort()).then((port) => log({ event: "listening", port }));
