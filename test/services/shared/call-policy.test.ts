import { describe, expect, it } from "vitest";
import { type Attempt, callPolicyFromEnv, retryable } from "../../../src/services/shared/call-policy";

describe("the call policy from meshform's variables", () => {
  it("reads the deadline and the retry policy a Service Connect caller is given", () => {
    const policy = callPolicyFromEnv("data-processing", {
      DATA_PROCESSING_TIMEOUT_MS: "65000",
      DATA_PROCESSING_MAX_RETRIES: "12",
      DATA_PROCESSING_PER_TRY_TIMEOUT_MS: "5000",
      DATA_PROCESSING_RETRY_ON: "gateway-error,connection-error",
      DATA_PROCESSING_BACKOFF_BASE_MS: "100",
      DATA_PROCESSING_BACKOFF_CAP_MS: "2000",
    });
    expect(policy).toEqual({
      deadlineMs: 65_000,
      maxRetries: 12,
      perTryTimeoutMs: 5_000,
      retryOn: new Set(["gateway-error", "connection-error"]),
      backoff: { baseMs: 100, capMs: 2_000 },
    });
  });

  it("tries once, within the deadline, where the mesh retries (App Mesh gives only URL and deadline)", () => {
    expect(callPolicyFromEnv("data-processing", { DATA_PROCESSING_TIMEOUT_MS: "65000" })).toMatchObject({
      deadlineMs: 65_000,
      maxRetries: 0,
      perTryTimeoutMs: 65_000,
      retryOn: new Set(),
    });
    expect(callPolicyFromEnv("data-processing", {}).deadlineMs).toBe(70_000);
  });

  it("refuses a malformed number or an unknown event, naming the variable", () => {
    expect(() => callPolicyFromEnv("data-processing", { DATA_PROCESSING_MAX_RETRIES: "many" })).toThrow(
      'DATA_PROCESSING_MAX_RETRIES must be a whole number of at least 0, got "many"',
    );
    expect(() => callPolicyFromEnv("data-processing", { DATA_PROCESSING_RETRY_ON: "gateway-eror" })).toThrow(
      'DATA_PROCESSING_RETRY_ON names an unknown event "gateway-eror"',
    );
  });
});

describe("which outcomes are retried", () => {
  const answer = (status: number): Attempt => ({ kind: "answer", status, headers: {}, text: "" });
  const cases: [Attempt, string[]][] = [
    [answer(502), ["gateway-error", "server-error"]],
    [answer(503), ["gateway-error", "server-error"]],
    [answer(504), ["gateway-error", "server-error"]],
    [answer(500), ["server-error"]],
    [answer(409), ["client-error"]],
    [answer(400), []],
    [answer(200), []],
    [{ kind: "timeout" }, ["gateway-error", "server-error", "connection-error"]],
    [{ kind: "connection", code: "ECONNREFUSED" }, ["stream-error", "connection-error"]],
  ];
  it.each(cases)("%j is retried under exactly %j", (attempt, events) => {
    const all = ["gateway-error", "server-error", "client-error", "stream-error", "connection-error"] as const;
    expect(all.filter((e) => retryable(attempt, new Set([e])))).toEqual(events);
  });
});
