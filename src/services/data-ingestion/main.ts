import { callPolicyFromEnv, forwardHeadersFromEnv } from "../shared/call-policy";
import { deadLetterQueueFromEnv } from "../shared/dead-letters/from-env";
import { appPort, drainOnSignals, jsonLogger, listen } from "../shared/http";
import { RetryBudget } from "../shared/retry-budget";
import { signerFromEnv } from "../shared/signing";
import { createIngestionApp, processingUrl, SERVICE } from "./app";
import { Upstream } from "./upstream";

const log = jsonLogger(SERVICE);
let options: Parameters<typeof createIngestionApp>[0];
try {
  const deadLetters = deadLetterQueueFromEnv();
  options = {
    log,
    processing: {
      // Signed when meshform says so (VPC Lattice): DATA_PROCESSING_SIGV4_SERVICE and _REGION.
      upstream: new Upstream(processingUrl(), signerFromEnv("data-processing")),
      policy: callPolicyFromEnv("data-processing"),
      budget: new RetryBudget(),
      forwardHeaders: forwardHeadersFromEnv("data-processing"),
    },
    ...(deadLetters && { deadLetters }),
  };
} catch (err) {
  log({ event: "config-error", error: (err as Error).message });
  process.exit(1);
}
const server = createIngestionApp(options);
drainOnSignals(server, log);
listen(server, appPort()).then((port) => {
  const { policy } = options.processing;
  log({
    event: "listening",
    port,
    upstream: options.processing.upstream.url.href,
    signed: options.processing.upstream.signed ? "SigV4" : "no",
    retries: policy.maxRetries,
    deadlineMs: policy.deadlineMs,
    deadLetters: options.deadLetters ? "on" : "off: undeliverable readings are answered 502, 503 or 504",
  });
});
