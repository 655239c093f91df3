/**
 * A dead-letter queue in one append-only JSON-lines file, for `npm run services` and `npm run redrive --
 * --local`: every change is one line ({"put"} or {"delete"}) appended and fsync'd before it is acknowledged,
 * so a letter survives a crash or a restart of the services. Appends from several processes interleave
 * whole lines (O_APPEND). Deleted letters stay in the file as tombstones; remove the file to start afresh.
 * The file is open only while a line is written: a queue nobody closes holds no handle (Node warns, DEP0137,
 * when the garbage collector has to close one), and the fsync costs far more than the open.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname } from "node:path";
import type { DeadLetter, DeadLetterQueue, Received } from "./dead-letters";

type Line = { op: "put"; id: string; letter: DeadLetter } | { op: "delete"; id: string };

export class FileDeadLetterQueue implements DeadLetterQueue {
  /** Appends of this process, one after the other. */
  private tail: Promise<unknown> = Promise.resolve();
  private directoryMade = false;
  /** Letters this process has received and not deleted: hidden from its next receive, as SQS hides them. */
  private readonly inFlight = new Set<string>();

  constructor(readonly path: string) {}

  private append(line: Line): Promise<void> {
    const write = async () => {
      if (!this.directoryMade) mkdirSync(dirname(this.path), { recursive: true });
      this.directoryMade = true;
      const fh = await open(this.path, "a");
      try {
        await fh.appendFile(`${JSON.stringify(line)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
    };
    const done = this.tail.then(write, write);
    this.tail = done.catch(() => {});
    return done;
  }

  async send(letter: DeadLetter): Promise<string> {
    const id = randomUUID();
    await this.append({ op: "put", id, letter });
    return id;
  }

  /** Every letter put and not deleted, oldest first. A torn last line (a crash mid-write) is skipped. */
  private live(): Map<string, DeadLetter> {
    const letters = new Map<string, DeadLetter>();
    if (!existsSync(this.path)) return letters;
    for (const text of readFileSync(this.path, "utf8").split("\n")) {
      if (!text) continue;
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        continue;
      }
      if (line.op === "put") letters.set(line.id, line.letter);
      else letters.delete(line.id);
    }
    return letters;
  }

  async receive(max: number): Promise<Received[]> {
    await this.tail;
    const out = [...this.live()].filter(([id]) => !this.inFlight.has(id)).slice(0, max);
    for (const [id] of out) this.inFlight.add(id);
    return out.map(([id, letter]) => ({ handle: id, id, letter }));
  }

  async delete(handle: string): Promise<void> {
    await this.append({ op: "delete", id: handle });
    this.inFlight.delete(handle);
  }

  async count(): Promise<number> {
    await this.tail;
    return this.live().size;
  }

  /** Resolves once every append of this process is written. */
  async close(): Promise<void> {
    await this.tail;
  }
}
