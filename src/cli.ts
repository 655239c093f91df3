/**
 * meshform's command line: `synth` (validate every environment, then write cdktf.out) and `validate`.
 *   node dist/src/cli.js synth|validate [--env NAME] [--config-dir DIR]
 * Exit codes: 0 done (warnings may print); 1 invalid config, or the output could not be written (a
 * file-system problem, or another synth holds cdktf.out); 2 bad usage or an internal error; 130
 * interrupted (Ctrl-C, SIGTERM, SIGHUP) with cdktf.out left as it was.
 */
import { parseArgs } from "node:util";
import { formatDiagnostic, hasErrors } from "./config/diagnostics";
import { loadEnvironments } from "./config/environments";
import { OutputError } from "./output/errors";
import { Interrupted } from "./output/write-output";

const USAGE = "usage: meshform synth|validate [--env NAME] [--config-dir DIR]";

export const EXIT = { ok: 0, invalid: 1, usage: 2, interrupted: 130 } as const;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Where `synth` writes; cdktf's CLI passes its own through CDKTF_OUTDIR. */
  outdir: string;
  /** Aborted when the user interrupts: synth then stops before it changes anything. */
  signal?: AbortSignal;
}

const defaultIo = (): Io => ({ out: console.log, err: console.error, outdir: process.env.CDKTF_OUTDIR || "cdktf.out" });

export async function run(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  const { out, err, outdir } = io;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        env: { type: "string" },
        "config-dir": { type: "string", default: "config" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    err(`meshform: ${(e as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    out(USAGE);
    return EXIT.ok;
  }
  const [command, ...extra] = parsed.positionals;
  if ((command !== "synth" && command !== "validate") || extra.length > 0) {
    err(USAGE);
    return EXIT.usage;
  }
  const { environments, available, diagnostics } = loadEnvironments(parsed.values["config-dir"]!, parsed.values.env);
  for (const d of diagnostics) err(formatDiagnostic(d));
  if (hasErrors(diagnostics)) {
    const count = diagnostics.filter((d) => d.severity === "error").length;
    err(`meshform: ${count} ${count === 1 ? "error" : "errors"}; nothing was written`);
    return EXIT.invalid;
  }
  const names = environments.map((e) => e.name).join(", ");
  if (command === "validate") {
    out(`meshform: valid: ${names}`);
    return EXIT.ok;
  }
  // Loaded here so that `validate` never pays for the provider bindings.
  const { synthesize } = await import("./synth.js");
  // With --env, the other environments' stacks stay as they are; stacks of deleted environments go.
  const keep = parsed.values.env === undefined ? () => false : (name: string) => available.includes(name);
  try {
    await synthesize(environments, outdir, { keep, ...(io.signal && { signal: io.signal }) });
  } catch (e) {
    if (e instanceof Interrupted) {
      err(`meshform: interrupted; ${outdir} is unchanged`);
      return EXIT.interrupted;
    }
    if (e instanceof OutputError) {
      err(`meshform: ${e.message}`);
      return EXIT.invalid;
    }
    throw e;
  }
  out(`meshform: synthesized ${names} into ${outdir}/stacks/`);
  return io.signal?.aborted ? EXIT.interrupted : EXIT.ok;
}

/**
 * Ctrl-C, SIGTERM and SIGHUP abort a run instead of killing it mid-write; a second one exits at once (the
 * next synth then finishes or discards what this one left inside cdktf.out).
 */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => (controller.signal.aborted ? process.exit(EXIT.interrupted) : controller.abort());
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, onSignal);
  return controller.signal;
}

if (require.main === module) {
  run(process.argv.slice(2), { ...defaultIo(), signal: interruptSignal() }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`meshform: internal error: ${(e as Error).message} (MESHFORM_DEBUG=1 shows where)`);
      if (process.env.MESHFORM_DEBUG) console.error(e);
      process.exitCode = EXIT.usage;
    },
  );
}
