/**
 * One call to a backend under a CallPolicy: at most 1 + maxRetries tries, each bounded by the per-try timeout
 * and all by the deadline; between tries a full-jitter pause, or the server's Retry-After when longer, never
 * past the deadline; every retry within the budget (retries in flight at most a share of calls in flight).
 * The caller's own loop rather than a library's: undici's RetryHandler has no per-try timeout under an
 * overall deadline and no budget, and cockatiel has no Retry-After or budget either; the loop is short, and
 * tested try by try with an injected clock.
 */
import { fullJitter, retryAfterMs } from "./backoff";
import { type Attempt, type CallPolicy, retryable } from "./call-policy";
import { type Clock, REAL_CLOCK } from "./clock";
import type { RetryBudget } from "./retry-budget";

export type GiveUpReason = "retries-exhausted" | "not-retried" | "deadline" | "budget";

export type CallResult =
  /** The backend's answer, not retried (any status), after `attempts` tries. */
  | { kind: "answered"; attempts: number; status: number; headers: Record<string, string | string[] | undefined>; text: string }
  /** No answer worth passing on: why the caller stopped, after how many tries, and the last outcome. */
  | { kind: "gave-up"; attempts: number; reason: GiveUpReason; last: Attempt };

/** What a call needs of the clock: its tries are bounded by the HTTP client's own timeouts. */
export type CallClock = Pick<Clock, "now" | "sleep" | "random">;

/** `tryOnce(attempt, timeoutMs)` makes one try (attempt counts from 1) within `timeoutMs`. */
export async function callWithRetries(
  tryOnce: (attempt: number, timeoutMs: number) => Promise<Attempt>,
  policy: CallPolicy,
  budget: RetryBudget,
  clock: CallClock = REAL_CLOCK,
): Promise<CallResult> {
  const deadline = clock.now() + policy.deadlineMs;
  budget.begin();
  try {
    for (let attempt = 1; ; attempt++) {
      const left = deadline - clock.now();
      // Whole milliseconds: timers (AbortSignal.timeout) refuse fractions, and the clock is performance.now().
      const outcome = await tryOnce(attempt, Math.max(1, Math.floor(Math.min(policy.perTryTimeoutMs, left))));
      if (!retryable(outcome, policy.retryOn)) {
        if (outcome.kind !== "answer") return { kind: "gave-up", attempts: attempt, reason: "not-retried", last: outcome };
        return { kind: "answered", attempts: attempt, status: outcome.status, headers: outcome.headers, text: outcome.text };
      }
      if (attempt > policy.maxRetries) return { kind: "gave-up", attempts: attempt, reason: "retries-exhausted", last: outcome };
      const backoff = fullJitter(attempt - 1, policy.backoff, clock.random);
      const asked = outcome.kind === "answer" ? retryAfterMs(outcome.headers["retry-after"], Date.now()) : undefined;
      const pause = Math.max(backoff, asked ?? 0);
      if (clock.now() + pause >= deadline) return { kind: "gave-up", attempts: attempt, reason: "deadline", last: outcome };
      if (!budget.tryRetry()) return { kind: "gave-up", attempts: attempt, reason: "budget", last: outcome };
      // As Envoy: a retry holds its place in the budget while it waits, and is an ordinary call once sent.
      try {
        await clock.sleep(pause);
      } finally {
        budget.retried();
      }
    }
  } finally {
    budget.end();
  }
}

/** The last outcome in words, for logs and dead letters: "503", "no answer within the per-try timeout", "connection refused (ECONNREFUSED)". */
export function describeAttempt(a: Attempt): string {
  if (a.kind === "answer") return `answered ${a.status}`;
  if (a.kind === "timeout") return "no answer in time";
  const words: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset",
    UND_ERR_SOCKET: "connection reset",
    EPIPE: "connection reset",
  };
  return `${words[a.code] ?? "unreachable"} (${a.code})`;
}
