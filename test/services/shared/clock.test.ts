import { describe, expect, it } from "vitest";
import { REAL_CLOCK } from "../../../src/services/shared/clock";

describe("the real clock", () => {
  it("fires a timeout, and clears one whose signal aborts before it is due", async () => {
    await REAL_CLOCK.timeout(1, new AbortController().signal);
    const stop = new AbortController();
    let fired = false;
    void REAL_CLOCK.timeout(1, stop.signal).then(() => (fired = true));
    stop.abort();
    await REAL_CLOCK.sleep(10); // a timer due later than the cleared one: it would have fired first
    expect(fired).toBe(false);
    const aborted = new AbortController();
    aborted.abort();
    void REAL_CLOCK.timeout(0, aborted.signal).then(() => (fired = true));
    await REAL_CLOCK.sleep(10);
    expect(fired).toBe(false);
  });
});
