/**
 * A retry budget in the manner of the AWS SDKs' standard retry mode: a bucket of 500 tokens per caller and
 * backend; a retry costs 5 (10 after a timeout, which ties up the backend longer), a success puts 1 back.
 * While the backend is healthy the bucket stays full; in a sustained outage it empties after about 100
 * retries and every call then gets one try only, so a struggling backend is not hit with (1 + maxRetries)×
 * its load. It refills as calls succeed again.
 */
export const BUDGET = { capacity: 500, retryCost: 5, timeoutRetryCost: 10, successRefund: 1 } as const;

export class RetryBudget {
  private tokens: number;

  constructor(private readonly config: { capacity: number; retryCost: number; timeoutRetryCost: number; successRefund: number } = BUDGET) {
    this.tokens = config.capacity;
  }

  /** Takes the cost of one retry, or says no when the bucket cannot pay for it. */
  tryRetry(afterTimeout: boolean): boolean {
    const cost = afterTimeout ? this.config.timeoutRetryCost : this.config.retryCost;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  succeeded(): void {
    this.tokens = Math.min(this.config.capacity, this.tokens + this.config.successRefund);
  }

  get available(): number {
    return this.tokens;
  }
}
