import { describe, expect, it } from "vitest";
import { fullJitter, retryAfterMs } from "../../../src/services/shared/backoff";

describe("full-jitter backoff", () => {
  const backoff = { baseMs: 100, capMs: 2_000 };
  it("pauses before retry n for a random time up to min(cap, base × 2^n)", () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => fullJitter(n, backoff, () => 0.999999))).toEqual([99, 199, 399, 799, 1599, 1999]);
    expect(fullJitter(3, backoff, () => 0)).toBe(0);
    expect(fullJitter(3, backoff, () => 0.5)).toBe(400);
  });
});

describe("Retry-After", () => {
  it("reads delay-seconds and HTTP dates, and nothing else", () => {
    const now = Date.parse("2026-11-23T10:00:00Z");
    expect(retryAfterMs("3", now)).toBe(3_000);
    expect(retryAfterMs("Mon, 23 Nov 2026 10:00:02 GMT", now)).toBe(2_000);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
