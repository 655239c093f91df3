/** Pauses between tries: exponential backoff with full jitter, and a server's Retry-After. */

/** Before retry n (0-based): a uniformly random pause in [0, min(cap, base × 2^n)) ("Exponential Backoff And Jitter", AWS Architecture Blog). */
export function fullJitter(retry: number, backoff: { baseMs: number; capMs: number }, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(backoff.capMs, backoff.baseMs * 2 ** retry));
}

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
