/**
 * A retry budget in the manner of Envoy's (`retry_budget`): retries waiting to be sent may be at most 20% of
 * the calls in flight, with at least 3 allowed (Envoy's defaults, budget_percent and min_retry_concurrency),
 * per caller and backend; as in Envoy, a retry holds its place while it backs off, and counts as a call once
 * sent. A lone call keeps every retry its policy allows, as under App Mesh; a struggling
 * backend under load sees at most a fifth more requests than calls, never (1 + maxRetries)× them: retries
 * beyond the budget are not made, and the call gives up (its reading is dead-lettered).
 * (An AWS-SDK-style token bucket, 5 tokens a retry and 1 back per success, was measured first: it empties
 * for good above about one failure in six, and dead-lettered half the readings at 30% injected faults.)
 */
export const BUDGET = { percent: 20, minConcurrency: 3 } as const;

export class RetryBudget {
  private calls = 0;
  private retries = 0;

  constructor(private readonly config: { percent: number; minConcurrency: number } = BUDGET) {}

  /** A call starts; `end` when it is over. */
  begin(): void {
    this.calls++;
  }

  end(): void {
    this.calls--;
  }

  /** Takes a retry slot if the budget has one; the caller gives it back with `retried` when the retry is sent. */
  tryRetry(): boolean {
    const allowed = Math.max(this.config.minConcurrency, Math.floor((this.config.percent / 100) * this.calls));
    if (this.retries >= allowed) return false;
    this.retries++;
    return true;
  }

  retried(): void {
    this.retries--;
  }

  get inFlight(): { calls: number; retries: number } {
    return { calls: this.calls, retries: this.retries };
  }
}
