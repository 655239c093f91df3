import { describe, expect, it } from "vitest";
import { BUDGET, RetryBudget } from "../../../src/services/shared/retry-budget";

describe("the retry budget", () => {
  it("pays 5 tokens a retry, 10 after a timeout, from 500, and refuses when it cannot", () => {
    const budget = new RetryBudget();
    let retries = 0;
    while (budget.tryRetry(false)) retries++;
    expect(retries).toBe(BUDGET.capacity / BUDGET.retryCost);
    expect(budget.available).toBe(0);
    const afterTimeouts = new RetryBudget();
    let timeouts = 0;
    while (afterTimeouts.tryRetry(true)) timeouts++;
    expect(timeouts).toBe(50);
  });

  it("refills one token per success, up to its capacity", () => {
    const budget = new RetryBudget();
    for (let i = 0; i < 100; i++) budget.tryRetry(false);
    for (let i = 0; i < 5; i++) budget.succeeded();
    expect(budget.tryRetry(false)).toBe(true);
    expect(budget.tryRetry(false)).toBe(false);
    const full = new RetryBudget();
    full.succeeded();
    expect(full.available).toBe(500);
  });
});
