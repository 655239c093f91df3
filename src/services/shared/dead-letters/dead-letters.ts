/**
 * Where a reading goes when it cannot be delivered, so that it is not lost: with why, how many tries were
 * made and its request id, for `npm run redrive` to replay once the cause is fixed. Two stores behind one
 * interface: SQS in AWS, and a durable file on a laptop.
 */

export interface DeadLetter {
  /** The service it was for, e.g. data-processing. */
  target: string;
  requestId: string;
  /** Why delivery stopped: retries-exhausted, not-retried, deadline, budget, or rejected (a 5xx not retried). */
  reason: string;
  /** The same in words, with the last outcome. */
  detail: string;
  attempts: number;
  failedAt: string;
  /** The reading as it would have been delivered. */
  reading: unknown;
  /** Tracing headers to pass on again when it is redriven. */
  headers: Record<string, string>;
}

export interface Received {
  /** Store-specific handle to delete it once delivered. */
  handle: string;
  id: string;
  letter: DeadLetter;
}

export interface DeadLetterQueue {
  /** Keeps `letter` durably; resolves to its id once it is safe. */
  send(letter: DeadLetter): Promise<string>;
  /** Up to `max` letters not yet deleted (a letter may come back if it is not deleted). */
  receive(max: number): Promise<Received[]>;
  delete(handle: string): Promise<void>;
  /** How many letters are waiting (approximate for SQS). */
  count(): Promise<number>;
  close(): Promise<void>;
}
