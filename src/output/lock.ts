/**
 * One writer at a time: a lock file inside the output directory, created exclusively and holding the
 * writer's pid. A lock whose process is gone (killed with SIGKILL, a crash) is taken over.
 */
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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

/** The lock's holder: "gone" when the file no longer exists (released meanwhile), else its pid if readable. */
function readHolder(path: string): "gone" | number | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? "gone" : undefined;
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** How often a writer tries again when the lock changes hands under it (released by one, taken by another). */
const ATTEMPTS = 20;

export interface Lock {
  release(): void;
}

/**
 * Creates the lock file whole, or reports that one exists: the pid is written to a file of our own, which is
 * then hard-linked to the lock's name (a link never replaces an existing file). Creating the lock empty and
 * writing the pid after would let a second writer read it empty in between and take it for stale.
 */
function create(path: string): boolean {
  const own = `${path}.${process.pid}`;
  io(path, () => writeFileSync(own, `${process.pid}\n`)); // named as the lock: that is what the user knows
  try {
    linkSync(own, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw ioError(err, path);
  } finally {
    rmSync(own, { force: true });
  }
}

/** Takes the lock of `outdir` or throws an OutputError naming the process that holds it. */
export function acquireLock(outdir: string): Lock {
  const path = join(outdir, LOCK_FILE);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (create(path)) {
      // Released only while it is still ours: a lock is never taken from a live writer, but say so in code too.
      return { release: () => readHolder(path) === process.pid && rmSync(path, { force: true }) };
    }
    const holder = readHolder(path);
    if (holder === "gone") continue; // released between our attempt and the read: try again
    if (holder !== undefined && alive(holder)) {
      throw new OutputError(outdir, `another synth is writing it (pid ${holder}); if none is running, remove ${path}`);
    }
    // Stale (its writer is gone, or it is unreadable): move it aside under a name of our own (only one taker
    // can win the rename), then try again. If what was moved is a live writer's fresh lock (it replaced the
    // stale one after we read it), put it back.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
      const moved = readHolder(aside);
      if (typeof moved === "number" && moved !== holder && alive(moved)) linkSync(aside, path);
    } catch {
      // another process took it over first; the next attempt sees its lock
    } finally {
      rmSync(aside, { force: true });
    }
  }
  throw new OutputError(outdir, `could not take the lock ${path}; other synths keep taking it: try again`);
}
