import { describe, expect, it } from "vitest";
import { BUDGET, RetryBudget } from "../../../src/services/shared/retry-budget";

describe("the retry budget", () => {
  it("allows at least 3 retries in flight, whatever the load (Envoy's min_retry_concurrency)", () => {
    const budget = new RetryBudget();
    budget.begin();
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, true, false]);
    budget.retried();
    expect(budget.tryRetry()).toBe(true);
  });

  it("allows retries in flight up to 20% of the calls in flight above that", () => {
    const budget = new RetryBudget();
    for (let i = 0; i < 50; i++) budget.begin();
    let granted = 0;
    while (budget.tryRetry()) granted++;
    expect(granted).toBe((BUDGET.percent / 100) * 50);
    for (let i = 0; i < 25; i++) budget.end();
    expect(budget.tryRetry()).toBe(false); // 10 in flight, 20% of 25 calls is 5
    expect(budget.inFlight).toEqual({ calls: 25, retries: 10 });
  });
});
