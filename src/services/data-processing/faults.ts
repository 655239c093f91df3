/**
 * Fault injection, to show the mesh's retry policy at work:
 * - header `x-503` (any non-numeric value, e.g. `true`): always 503;
 * - header `x-503: N`: the first N attempts of that `x-request-id` get 503, later ones succeed;
 * - env `FAULT_503_RATE` (0..1): that share of all requests get 503, at random.
 */
export const FAULT_MESSAGE = "Service Unavailable: fault injected";

/** Attempts remembered per request id; the oldest ids are forgotten past this. */
const MAX_TRACKED = 10_000;

export type FaultReason = "x-503" | "x-503-count" | "random";

export class FaultInjector {
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly rate = 0,
    private readonly random: () => number = Math.random,
  ) {
    if (!(rate >= 0 && rate <= 1)) throw new Error(`FAULT_503_RATE must be between 0 and 1, got ${rate}`);
  }

  /** Why this request must fail, or undefined to serve it. */
  decide(header: string | undefined, requestId: string | undefined): FaultReason | undefined {
    if (header !== undefined) {
      const count = /^\d+$/.test(header.trim()) ? Number(header) : undefined;
      if (count === undefined || !requestId) return "x-503";
      const seen = (this.attempts.get(requestId) ?? 0) + 1;
      this.remember(requestId, seen);
      if (seen <= count) return "x-503-count";
    }
    if (this.rate > 0 && this.random() < this.rate) return "random";
    return undefined;
  }

  private remember(requestId: string, seen: number): void {
    this.attempts.delete(requestId);
    this.attempts.set(requestId, seen);
    if (this.attempts.size > MAX_TRACKED) this.attempts.delete(this.attempts.keys().next().value!);
  }
}
