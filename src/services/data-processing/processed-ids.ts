/**
 * The request ids data-processing has processed, so a reading sent again (a retry whose answer was lost,
 * a redrive of a reading that was in fact processed) is answered but not processed or counted twice. With
 * a log file (PROCESSED_LOG) every id is appended and fsync'd before the reading is acknowledged, so a
 * restart remembers them: how a run of the local harness is accounted across a crash.
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

/** Ids remembered for deduplication; the oldest are forgotten past this (the count keeps counting). */
export const MAX_REMEMBERED = 1_000_000;

export class ProcessedIds {
  private readonly ids = new Set<string>();
  private processed = 0;
  private fd?: number;

  constructor(
    path?: string,
    private readonly limit = MAX_REMEMBERED,
  ) {
    if (!path) return;
    if (existsSync(path)) for (const id of readFileSync(path, "utf8").split("\n")) if (id) this.remember(id);
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, "a");
  }

  private remember(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    this.processed++;
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value!);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Records `id` as processed, durably when there is a log. */
  add(id: string): void {
    if (this.ids.has(id)) return;
    if (this.fd !== undefined) {
      appendFileSync(this.fd, `${id}\n`);
      fsyncSync(this.fd);
    }
    this.remember(id);
  }

  /** Distinct request ids processed. */
  get count(): number {
    return this.processed;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
