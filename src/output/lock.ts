/**
 * One writer at a time: a lock file inside the output directory, created exclusively and holding the
 * writer's pid. A lock whose process is gone (killed with SIGKILL, a crash) is taken over.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { io, ioError, OutputError } from "./errors";

export const LOCK_FILE = ".meshform.lock";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface Lock {
  release(): void;
}

/** Takes the lock of `outdir` or throws an OutputError naming the process that holds it. */
export function acquireLock(outdir: string): Lock {
  const path = join(outdir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw ioError(err, path);
      const holder = readPid(path);
      if (holder !== undefined && alive(holder)) {
        throw new OutputError(outdir, `another synth is writing it (pid ${holder}); if none is running, remove ${path}`);
      }
      // Stale: move it aside under a name of our own (only one taker can win the rename), then retry.
      const aside = `${path}.stale-${process.pid}`;
      try {
        renameSync(path, aside);
        rmSync(aside, { force: true });
      } catch {
        // another process took it over first; the next attempt sees its lock
      }
      continue;
    }
    io(path, () => {
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
    });
    return { release: () => rmSync(path, { force: true }) };
  }
  throw new OutputError(outdir, `could not take the lock ${path}; another synth may be starting`);
}
