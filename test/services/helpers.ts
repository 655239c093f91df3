/** Real servers on ephemeral loopback ports, and real HTTP requests to them. */
import type { Server } from "node:http";
import { afterEach } from "vitest";
import { SAMPLE_READING } from "../../src/services/shared/ev";
import { listen } from "../../src/services/shared/http";

const running: Server[] = [];
afterEach(async () => {
  await Promise.all(
    running.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

/** Starts `server` on a free loopback port; it is closed after the test. */
export async function start(server: Server): Promise<string> {
  running.push(server);
  const port = await listen(server, 0, "127.0.0.1");
  return `http://127.0.0.1:${port}`;
}

export const READING = SAMPLE_READING;

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export async function post(url: string, body: unknown = READING, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

export function collectLogs(): { lines: Record<string, unknown>[]; log: (e: Record<string, unknown>) => void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, log: (e) => lines.push(e) };
}
