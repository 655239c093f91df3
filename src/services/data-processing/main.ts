import { appPort, drainOnSignals, jsonLogger, listen } from "../shared/http";
import { createProcessingApp, SERVICE } from "./app";
import { FaultInjector } from "./faults";

const log = jsonLogger(SERVICE);
const server = createProcessingApp({ log, faults: new FaultInjector(Number(process.env.FAULT_503_RATE ?? 0)) });
drainOnSignals(server, log);
listen(server, appPort()).then((port) => log({ event: "listening", port }));
