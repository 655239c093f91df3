/**
 * cdktf records where every token was created: for each one, tokens/private/stack-trace.js raises
 * Error.stackTraceLimit to Number.MAX_SAFE_INTEGER, calls Error.captureStackTrace and formats the whole
 * stack, about 140 times per service. The result only ever appears in cdktf's own error messages, never in
 * the synthesized JSON, and capturing and formatting it was a third of a synth's time. (Lowering
 * Error.stackTraceLimit does nothing: cdktf raises it around each capture.)
 *
 * So while meshform builds and synthesizes stacks, Error.captureStackTrace, a writable property of the
 * standard Error constructor, is replaced by one that records nothing; cdktf then keeps an empty creation
 * stack. Errors created with `new Error()` are untouched (V8 captures their stacks natively, and Node's
 * internals use their own reference to the original). It is restored afterwards, and MESHFORM_DEBUG=1
 * keeps full traces, for when a cdktf error needs its creation stack.
 */

const original = Error.captureStackTrace;
const recordNothing: typeof Error.captureStackTrace = () => {};

export function cheapStackTraces(): () => void {
  if (process.env.MESHFORM_DEBUG || Error.captureStackTrace === recordNothing) return () => {};
  Error.captureStackTrace = recordNothing;
  return () => {
    Error.captureStackTrace = original;
  };
}

/** Runs `fn` with cheap stack traces, restoring them when it settles. */
export async function withCheapStackTraces<T>(fn: () => Promise<T> | T): Promise<T> {
  const restore = cheapStackTraces();
  try {
    return await fn();
  } finally {
    restore();
  }
}
