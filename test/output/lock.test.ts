import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireLock, LOCK_FILE } from "../../src/output/lock";
import { processTimeout } from "../process";

const outdir = () => mkdtempSync(join(tmpdir(), "meshform-lock-"));
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", "0"]).pid!;

describe("acquireLock", () => {
  it("writes its pid into the lock, leaves nothing else, and removes it on release", () => {
    const dir = outdir();
    const lock = acquireLock(dir);
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses while a live process holds it, naming that process", () => {
    const dir = outdir();
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    expect(() => acquireLock(dir)).toThrow(
      `another synth is writing it (pid ${process.ppid}); if none is running, remove ${join(dir, LOCK_FILE)}`,
    );
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.ppid}\n`);
  });

  it("releases only a lock that is still its own", () => {
    const dir = outdir();
    const lock = acquireLock(dir);
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`); // as if another writer held it now
    lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.ppid}\n`);
  });

  // Starts a process, to have the pid of one that is gone: a second or more on a busy machine.
  it("takes over the lock of a process that is gone, or an unreadable one", { timeout: processTimeout(1) }, () => {
    for (const content of [`${deadPid()}\n`, "", "garbage"]) {
      const dir = outdir();
      writeFileSync(join(dir, LOCK_FILE), content);
      const lock = acquireLock(dir);
      expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
      expect(readdirSync(dir)).toEqual([LOCK_FILE]);
      lock.release();
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    }
  });
});
