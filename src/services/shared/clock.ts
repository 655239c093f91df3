/**
 * Time and chance as the services' retrying code sees them, injected so that tests run it on a fake clock
 * and check what happened (tries, the pauses asked for and their lengths, the timeouts that fired, in
 * order) rather than how long it took.
 */

export interface Clock {
  /** Milliseconds on a monotonic scale: only differences mean anything. */
  now: () => number;
  /** A pause the caller chose to take (a backoff): resolves after `ms`. */
  sleep: (ms: number) => Promise<void>;
  /**
   * A bound on how long something else may take (a try): resolves after `ms`, unless `signal` aborts first,
   * which clears the timer (the promise then never settles).
   */
  timeout: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1): the jitter of a backoff. */
  random: () => number;
}

export const REAL_CLOCK: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  timeout: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return;
      const timer = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
    }),
  random: Math.random,
};
