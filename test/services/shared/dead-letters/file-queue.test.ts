import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DeadLetter } from "../../../../src/services/shared/dead-letters/dead-letters";
import { FileDeadLetterQueue } from "../../../../src/services/shared/dead-letters/file-queue";
import { tempDir } from "../../helpers";

const letter = (requestId: string): DeadLetter => ({
  target: "data-processing",
  requestId,
  reason: "retries-exhausted",
  detail: "every try failed",
  attempts: 13,
  failedAt: "2026-11-23T10:00:00.000Z",
  reading: { vehicle_id: "EV-1" },
  headers: {},
});
const path = () => join(tempDir("queue"), "local", "dead-letters.jsonl");

describe("the local dead-letter queue", () => {
  it("keeps letters across a restart: another instance on the same file sees them", async () => {
    const file = path();
    const first = new FileDeadLetterQueue(file);
    const ids = [await first.send(letter("a")), await first.send(letter("b"))];
    await first.close();
    const second = new FileDeadLetterQueue(file);
    expect((await second.receive(10)).map((r) => [r.id, r.letter.requestId])).toEqual([
      [ids[0], "a"],
      [ids[1], "b"],
    ]);
    expect(await second.count()).toBe(2);
  });

  it("forgets a letter once deleted, and hides a received one from this process's next receive", async () => {
    const queue = new FileDeadLetterQueue(path());
    await queue.send(letter("a"));
    await queue.send(letter("b"));
    const [a] = await queue.receive(1);
    expect((await queue.receive(10)).map((r) => r.letter.requestId)).toEqual(["b"]);
    await queue.delete(a!.handle);
    expect(await queue.count()).toBe(1);
    expect((await new FileDeadLetterQueue(queue.path).receive(10)).map((r) => r.letter.requestId)).toEqual(["b"]);
  });

  it("skips a line torn by a crash mid-write, keeping every whole one", async () => {
    const queue = new FileDeadLetterQueue(path());
    await queue.send(letter("a"));
    appendFileSync(queue.path, '{"op":"put","id":"x","letter":{"requ');
    expect(await new FileDeadLetterQueue(queue.path).count()).toBe(1);
    expect(readFileSync(queue.path, "utf8").split("\n")).toHaveLength(2);
  });
});
