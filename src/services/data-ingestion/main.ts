import { appPort, drainOnSignals, jsonLogger, listen } from "../shared/http";
import { createIngestionApp, processingUrl, SERVICE } from "./app";
import { Upstream } from "./upstream";

const log = jsonLogger(SERVICE);
let upstream: Upstream;
try {
  upstream = new Upstream(processingUrl(), Number(process.env.UPSTREAM_TIMEOUT_MS ?? 70_000));
} catch (err) {
  log({ event: "config-error", error: (err as Error).message });
  process.exit(1);
}
const server = createIngestionApp({ log, upstream });
drainOnSignals(server, log);
listen(server, appPort()).then((port) => log({ event: "listening", port, upstream: upstream.url.href }));
