/** Real servers on ephemeral loopback ports, and real HTTP requests to them; the service bundles; scratch directories. */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject, onTestFinished } from "vitest";
import { SAMPLE_READING } from "../../src/services/shared/ev";
import { listen } from "../../src/services/shared/http";

/** A scratch directory, removed with what it holds when the test that made it finishes. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `meshform-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Starts `server` on a free loopback port; it is closed when the test that started it finishes (a hook of
 * the test, not of this module, so it holds however many test files share this module).
 */
export async function start(server: Server): Promise<string> {
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const port = await listen(server, 0, "127.0.0.1");
  return `http://127.0.0.1:${port}`;
}

/** The services' bundles, as the images carry them: built once, by test/global-setup.ts, for every test that runs them. */
export function serviceBundles(): string {
  return inject("serviceBundles");
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
