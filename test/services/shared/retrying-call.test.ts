/** The caller's retries try by try, on a fake clock: attempts counted, timeouts and pauses measured. */
import { describe, expect, it, vi } from "vitest";
import type { Attempt, CallPolicy } from "../../../src/services/shared/call-policy";
import { RetryBudget } from "../../../src/services/shared/retry-budget";
import { type CallClock, callWithRetries } from "../../../src/services/shared/retrying-call";
import { FakeClock } from "../clock";

const POLICY: CallPolicy = {
  deadlineMs: 65_000,
  maxRetries: 12,
  perTryTimeoutMs: 5_000,
  retryOn: new Set(["gateway-error", "connection-error"]),
  backoff: { baseMs: 100, capMs: 2_000 },
};

/** A clock that only moves when the call sleeps or a try takes time; records both. */
function fakeClock(random = () => 0.5) {
  let now = 0;
  const pauses: number[] = [];
  const clock: CallClock = {
    now: () => now,
    sleep: async (ms) => {
      pauses.push(ms);
      now += ms;
    },
    random,
  };
  return { clock, pauses, advance: (ms: number) => (now += ms), now: () => now };
}

const answer = (status: number, headers: Record<string, string> = {}): Attempt => ({
  kind: "answer",
  status,
  headers,
  text: `{"status":${status}}`,
});

/** A backend that answers from a script; each try may take time on the fake clock. */
function backend(script: Attempt[], fake: ReturnType<typeof fakeClock>, takes = 0) {
  const tries: { attempt: number; timeoutMs: number; at: number }[] = [];
  const tryOnce = async (attempt: number, timeoutMs: number) => {
    tries.push({ attempt, timeoutMs, at: fake.now() });
    const outcome = script[Math.min(tries.length - 1, script.length - 1)]!;
    fake.advance(outcome.kind === "timeout" ? timeoutMs : takes);
    return outcome;
  };
  return { tryOnce, tries };
}

describe("a call with retries", () => {
  it("retries 503s and a refused connection, then passes the answer on, counting every try", async () => {
    const fake = fakeClock();
    const b = backend([answer(503), { kind: "connection", code: "ECONNREFUSED" }, answer(503), answer(200)], fake);
    const result = await callWithRetries(b.tryOnce, POLICY, new RetryBudget(), fake.clock);
    expect(result).toMatchObject({ kind: "answered", status: 200, attempts: 4 });
    expect(b.tries.map((t) => t.attempt)).toEqual([1, 2, 3, 4]);
    expect(fake.pauses).toEqual([50, 100, 200]); // random 0.5 × min(2000, 100 × 2^n)
  });

  it("makes at most 1 + maxRetries tries, then gives up saying so", async () => {
    const fake = fakeClock();
    const b = backend([answer(503)], fake);
    const result = await callWithRetries(b.tryOnce, { ...POLICY, maxRetries: 3 }, new RetryBudget(), fake.clock);
    expect(result).toMatchObject({ kind: "gave-up", reason: "retries-exhausted", attempts: 4, last: { kind: "answer", status: 503 } });
  });

  it("does not retry what its events do not name: a 500 under gateway-error, a 400 ever", async () => {
    const fake = fakeClock();
    expect(await callWithRetries(backend([answer(500)], fake).tryOnce, POLICY, new RetryBudget(), fake.clock)).toMatchObject({
      kind: "answered",
      status: 500,
      attempts: 1,
    });
    expect(await callWithRetries(backend([answer(400)], fake).tryOnce, POLICY, new RetryBudget(), fake.clock)).toMatchObject({
      kind: "answered",
      status: 400,
      attempts: 1,
    });
  });

  it("bounds each try by the per-try timeout and all of them by the deadline: 13 tries of 5 s fit in 65 s, not 14", async () => {
    const fake = fakeClock(() => 0);
    const b = backend([{ kind: "timeout" }], fake);
    const result = await callWithRetries(b.tryOnce, { ...POLICY, maxRetries: 20 }, new RetryBudget(), fake.clock);
    expect(b.tries.map((t) => t.timeoutMs)).toEqual(Array(13).fill(5_000));
    expect(result).toMatchObject({ kind: "gave-up", reason: "deadline", attempts: 13 });
    expect(fake.now()).toBe(65_000);
  });

  it("gives the last try only what is left of the deadline", async () => {
    const fake = fakeClock(() => 0);
    const b = backend([{ kind: "timeout" }], fake);
    await callWithRetries(b.tryOnce, { ...POLICY, deadlineMs: 12_000 }, new RetryBudget(), fake.clock);
    expect(b.tries.map((t) => t.timeoutMs)).toEqual([5_000, 5_000, 2_000]);
  });

  it("gives every try a whole number of milliseconds, as timers require, however fractional the clock", async () => {
    const fake = fakeClock(() => 0.3);
    fake.advance(0.371);
    const b = backend([{ kind: "timeout" }], fake, 0.5);
    await callWithRetries(b.tryOnce, { ...POLICY, deadlineMs: 12_345.678 }, new RetryBudget(), fake.clock);
    expect(b.tries.every((t) => Number.isInteger(t.timeoutMs))).toBe(true);
    expect(b.tries.at(-1)!.timeoutMs).toBeLessThan(5_000);
  });

  it("waits as long as Retry-After asks, when that fits before the deadline, and stops when it does not", async () => {
    const fake = fakeClock(() => 0);
    const b = backend([answer(503, { "retry-after": "3" }), answer(200)], fake);
    expect(await callWithRetries(b.tryOnce, POLICY, new RetryBudget(), fake.clock)).toMatchObject({ kind: "answered", attempts: 2 });
    expect(fake.pauses).toEqual([3_000]);
    const late = fakeClock(() => 0);
    const result = await callWithRetries(
      backend([answer(503, { "retry-after": "120" })], late).tryOnce,
      POLICY,
      new RetryBudget(),
      late.clock,
    );
    expect(result).toMatchObject({ kind: "gave-up", reason: "deadline", attempts: 1 });
    expect(late.pauses).toEqual([]);
  });

  it("keeps every retry of a lone call, as Envoy does (3 retries may be in flight whatever the load)", async () => {
    const fake = fakeClock(() => 0);
    const budget = new RetryBudget();
    for (let call = 0; call < 5; call++) {
      const result = await callWithRetries(backend([answer(503)], fake).tryOnce, POLICY, budget, fake.clock);
      expect(result).toMatchObject({ reason: "retries-exhausted", attempts: 13 });
    }
    expect(budget.inFlight).toEqual({ calls: 0, retries: 0 });
  });

  it("refuses retries under a sustained outage beyond 20% of the calls in flight, so a fraction of the calls retries at all", async () => {
    const budget = new RetryBudget();
    const clock = new FakeClock(() => 1);
    clock.hold(); // a pause lasts until release(): the retries that wait hold their place in the budget meanwhile
    let tries = 0;
    const tryOnce = async () => {
      tries++;
      return answer(503);
    };
    const calls = Promise.all(Array.from({ length: 50 }, () => callWithRetries(tryOnce, POLICY, budget, clock)));
    await vi.waitFor(() => expect(clock.waiting).toBe(10));
    // 50 calls in flight, each failed once: 10 (20%) wait to retry, the other 40 gave up at once.
    expect(budget.inFlight).toEqual({ calls: 10, retries: 10 });
    expect(tries).toBe(50);
    clock.release();
    const results = (await calls).map((r) => [r.kind === "gave-up" ? r.reason : r.kind, r.attempts]);
    // Released, the 10 fail again at once, with 10 calls in flight: 3 retries may wait (the minimum; 20% of 10
    // is 2), so 3 calls spend all their retries and 7 give up at their second try.
    expect(results).toEqual([
      ...Array(3).fill(["retries-exhausted", 13]),
      ...Array(7).fill(["budget", 2]),
      ...Array(40).fill(["budget", 1]),
    ]);
    expect(tries).toBe(50 + 10 + 3 * 11); // against 50 × 13 without a budget
    expect(budget.inFlight).toEqual({ calls: 0, retries: 0 });
  });
});
