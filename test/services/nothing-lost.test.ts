/**
 * Nothing lost, counted: readings through data-ingestion with 30% injected 503s and data-processing killed
 * (SIGKILL) and restarted mid-run. Each comes back processed or dead-lettered; data-processing's log and the
 * dead-letter queue account for every one; after a redrive, processed equals sent.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runNothingLost } from "../../src/bench/nothing-lost";
import { serviceBundles, tempDir } from "./helpers";

let bundles: string;
beforeAll(async () => {
  bundles = await serviceBundles();
});

describe("nothing lost under injected faults and a crash", { timeout: 60_000 }, () => {
  it("accounts for every reading as processed or dead-lettered, and a redrive delivers the rest", async () => {
    const readings = 200;
    const outcome = await runNothingLost({
      bundles,
      workdir: tempDir("lost"),
      readings,
      concurrency: 8,
      faultRate: 0.3,
      killAfter: 80,
      downMs: 1_500,
      policy: {
        deadlineMs: 1_200,
        maxRetries: 12,
        perTryTimeoutMs: 300,
        retryOn: new Set(["gateway-error", "connection-error"]),
        backoff: { baseMs: 20, capMs: 200 },
      },
    });
    expect(outcome.other).toEqual([]);
    expect(outcome.sent).toBe(readings);
    expect(outcome.processed + outcome.deadLettered).toBe(readings);
    expect(outcome.deadLettered).toBeGreaterThan(0); // the crash did cost deliveries...
    expect(outcome.unaccounted).toEqual([]); // ...but not readings
    expect(outcome.afterRedrive).toEqual({ redriven: outcome.deadLettered, remaining: 0, processedDistinct: readings });
  });
});
