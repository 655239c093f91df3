/**
 * Nothing lost, counted: readings through data-ingestion with 30% injected 503s and data-processing killed
 * (SIGKILL) and restarted mid-run. Each comes back processed or dead-lettered; data-processing's log and the
 * dead-letter queue account for every one; after a redrive, processed equals sent. The same with data-ingestion
 * calling directly (Service Connect's way) and through the VPC Lattice stand-in, signing every try.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runNothingLost } from "../../src/bench/nothing-lost";
import { serviceBundles, tempDir } from "./helpers";

let bundles: string;
beforeAll(async () => {
  bundles = await serviceBundles();
});

const READINGS = 200;

const run = (lattice: boolean) =>
  runNothingLost({
    bundles,
    workdir: tempDir("lost"),
    readings: READINGS,
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
    lattice,
  });

function accountsForEvery(outcome: Awaited<ReturnType<typeof run>>) {
  expect(outcome.other).toEqual([]);
  expect(outcome.sent).toBe(READINGS);
  expect(outcome.processed + outcome.deadLettered).toBe(READINGS);
  expect(outcome.deadLettered).toBeGreaterThan(0); // the crash did cost deliveries...
  expect(outcome.unaccounted).toEqual([]); // ...but not readings
  expect(outcome.afterRedrive).toEqual({ redriven: outcome.deadLettered, remaining: 0, processedDistinct: READINGS });
}

describe("nothing lost under injected faults and a crash", { timeout: 60_000 }, () => {
  it("accounts for every reading as processed or dead-lettered, and a redrive delivers the rest", async () => {
    const outcome = await run(false);
    accountsForEvery(outcome);
    expect(outcome.lattice).toBeUndefined();
  });

  it("holds through VPC Lattice's stand-in too: every try signed and let in, none refused", async () => {
    const outcome = await run(true);
    accountsForEvery(outcome);
    expect(outcome.lattice!.refused).toBe(0);
    // Every reading was tried at least once through Lattice, the 503s and the crash retried through it too.
    expect(outcome.lattice!.forwarded).toBeGreaterThan(READINGS);
  });
});
