/**
 * Replays dead-lettered readings to data-processing with the route's retry policy, with their original
 * request ids (data-processing answers a reading it already processed without counting it twice), and
 * deletes each only once it is delivered. A run sees each letter once; what is not delivered stays.
 */

import type { Upstream } from "../data-ingestion/upstream";
import type { CallPolicy } from "../shared/call-policy";
import { REAL_CLOCK } from "../shared/clock";
import type { DeadLetterQueue, Received } from "../shared/dead-letters/dead-letters";
import type { Logger } from "../shared/http";
import { BUDGET, RetryBudget } from "../shared/retry-budget";
import { type CallClock, callWithRetries, describeAttempt } from "../shared/retrying-call";

export interface RedriveResult {
  redriven: number;
  /** Letters tried and kept: data-processing is still failing, or refuses them (a 4xx). */
  kept: number;
  /** Left in the queue after the run. */
  remaining: number;
}

/**
 * Letters redriven at once: no more than the retry budget always allows retries for, so a redrive is never
 * refused a retry, and adds at most this many calls to a backend that may still be struggling.
 */
const BATCH = BUDGET.minConcurrency;

export async function redrive(
  queue: DeadLetterQueue,
  target: { upstream: Upstream; policy: CallPolicy; clock?: CallClock },
  log: Logger = () => {},
): Promise<RedriveResult> {
  const budget = new RetryBudget();
  let redriven = 0;
  let kept = 0;
  const deliver = async ({ handle, id, letter }: Received) => {
    const payload = JSON.stringify(letter.reading);
    const headers = { ...letter.headers, "x-request-id": letter.requestId, "x-redrive": "1" };
    const result = await callWithRetries(
      (n, t) => target.upstream.attempt(payload, { ...headers, "x-attempt-count": String(n) }, t),
      target.policy,
      budget,
      target.clock ?? REAL_CLOCK,
    );
    if (result.kind === "answered" && result.status < 300) {
      await queue.delete(handle);
      redriven++;
      log({ event: "redriven", id, requestId: letter.requestId, attempts: result.attempts });
    } else {
      kept++;
      const why = result.kind === "answered" ? `answered ${result.status}` : `${result.reason}: ${describeAttempt(result.last)}`;
      log({ event: "kept", id, requestId: letter.requestId, why });
    }
  };
  for (;;) {
    const batch = await queue.receive(BATCH);
    if (batch.length === 0) break;
    await Promise.all(batch.map(deliver));
  }
  return { redriven, kept, remaining: await queue.count() };
}
