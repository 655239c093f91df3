/** cdktf's per-token stack capture is skipped while synthesizing, and only then. */
import { afterEach, describe, expect, it } from "vitest";
import { cheapStackTraces, withCheapStackTraces } from "../../src/cdktf/cheap-stack-traces";

const captured = () => {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder);
  return holder.stack;
};

describe("cheap stack traces", () => {
  afterEach(() => {
    delete process.env.MESHFORM_DEBUG;
  });

  it("record nothing inside, and full stacks again after, even when the work fails", async () => {
    const original = Error.captureStackTrace;
    await withCheapStackTraces(() => expect(captured()).toBeUndefined());
    await expect(withCheapStackTraces(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(Error.captureStackTrace).toBe(original);
    expect(captured()).toMatch(/captured/);
    expect(new Error("native").stack).toMatch(/native/); // errors made with `new Error` always had theirs
  });

  it("are full under MESHFORM_DEBUG", () => {
    process.env.MESHFORM_DEBUG = "1";
    const restore = cheapStackTraces();
    try {
      expect(captured()).toMatch(/captured/);
    } finally {
      restore();
    }
  });
});
