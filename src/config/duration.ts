/** Human durations (`250ms`, `5s`, `2m`) as written in the YAML. */

export const DURATION_PATTERN = /^(\d+)(ms|s|m)$/;
export const DURATION_HINT = 'a duration such as "250ms", "5s" or "2m"';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/** Milliseconds for a duration string; throws on a malformed one (the schema checks the form first). */
export function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new Error(`not ${DURATION_HINT}: ${JSON.stringify(text)}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Short human form used in messages: 5000 → "5s", 250 → "250ms". */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
