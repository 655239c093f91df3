/** File-system failures while writing cdktf.out, said in words with the path they concern. */

/** Why the output could not be written: the user's machine, not meshform. Printed as one line, exit 1. */
export class OutputError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot write ${path}: ${reason}`);
  }
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  ENOENT: "no such file or directory",
  ENOTDIR: "a part of the path is not a directory",
  EEXIST: "already exists",
  EISDIR: "is a directory",
  EBUSY: "busy (a mount point, or in use by another program)",
  EXDEV: "crosses file systems",
  EMFILE: "too many open files",
  ENAMETOOLONG: "name too long",
  EIO: "input/output error",
};

/** `err` as an OutputError about `path` when it is a file-system error; anything else is rethrown as is. */
export function ioError(err: unknown, path: string): OutputError {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (err instanceof OutputError) return err;
  if (typeof code !== "string") throw err;
  return new OutputError(path, `${REASONS[code] ?? "file-system error"} (${code})`);
}

/** Runs `fn`, turning a file-system error into an OutputError naming `path`. */
export function io<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw ioError(err, path);
  }
}
