/**
 * meshform's command line: `synth` (check every environment, then write the stacks that changed into
 * cdktf.out) and `validate` (check only).
 *   meshform synth|validate [--env NAME] [--config-dir DIR] [--force] [--jobs N] [--quiet]
 * Exit codes: 0 done (warnings may print); 1 invalid config, or the output could not be written (a
 * file-system problem, or another synth holds cdktf.out); 2 bad usage or an internal error; 130
 * interrupted (Ctrl-C, SIGTERM, SIGHUP) with cdktf.out left as it was.
 */
import { parseArgs } from "node:util";
import { type Diagnostic, formatDiagnostic, hasErrors, shown } from "./config/diagnostics";
import { OutputError } from "./output/errors";
import { Interrupted } from "./output/interrupted";
import { reportUsageAtExit } from "./synth/usage-report";

const USAGE = "usage: meshform synth|validate [--env NAME] [--config-dir DIR] [--force] [--jobs N] [--quiet]";

export const EXIT = { ok: 0, invalid: 1, usage: 2, interrupted: 130 } as const;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Where `synth` writes; cdktf's CLI passes its own through CDKTF_OUTDIR. */
  outdir: string;
  /** Aborted when the user interrupts: synth then stops before it changes anything. */
  signal?: AbortSignal;
  /** A terminal is watching: say how each environment went as it goes. */
  progress?: boolean;
  /** When the run started, on performance.now()'s clock (0: when the process started); by default, now. */
  started?: number;
}

const defaultIo = (): Io => ({
  out: console.log,
  err: console.error,
  outdir: process.env.CDKTF_OUTDIR || "cdktf.out",
  progress: process.stderr.isTTY === true,
});

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const count = (n: number) => n.toLocaleString("en-US");

const OPTIONS = {
  env: { type: "string" },
  "config-dir": { type: "string", default: "config" },
  force: { type: "boolean", default: false },
  jobs: { type: "string" },
  quiet: { type: "boolean", short: "q", default: false },
  help: { type: "boolean", short: "h" },
} as const;
const parseArgsOf = (args: string[]) => parseArgs({ args, allowPositionals: true, options: OPTIONS });

export async function run(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  const started = io.started ?? performance.now();
  const { out, err, outdir } = io;
  let parsed: ReturnType<typeof parseArgsOf>;
  try {
    parsed = parseArgsOf([...argv]);
  } catch (e) {
    err(`meshform: ${(e as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const { values } = parsed;
  if (values.help) {
    out(USAGE);
    return EXIT.ok;
  }
  const [command, ...extra] = parsed.positionals;
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (
    (command !== "synth" && command !== "validate") ||
    extra.length > 0 ||
    (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1))
  ) {
    err(
      jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)
        ? `meshform: --jobs must be a whole number of 1 or more, got "${values.jobs}"\n${USAGE}`
        : USAGE,
    );
    return EXIT.usage;
  }
  if (command === "validate") {
    const { loadEnvironments } = await import("./environments.js");
    const { environments, diagnostics } = loadEnvironments(values["config-dir"]!, values.env);
    for (const d of shown(diagnostics)) err(formatDiagnostic(d));
    if (hasErrors(diagnostics)) return invalid(diagnostics, err);
    out(`meshform: valid: ${environments.map((e) => e.name).join(", ")}${acknowledged(diagnostics)}`);
    return EXIT.ok;
  }

  const quiet = values.quiet;
  const progress = io.progress && !quiet ? (line: string) => err(`meshform: ${line}`) : undefined;
  const { synthConfigDir } = await import("./synth/run.js");
  let result: Awaited<ReturnType<typeof synthConfigDir>>;
  try {
    result = await synthConfigDir({
      configDir: values["config-dir"]!,
      outdir,
      only: values.env,
      force: values.force,
      ...(jobs !== undefined && { jobs }),
      ...(io.signal && { signal: io.signal }),
      onStack: (name, { result: r, ms }) => progress?.(`${name}: ${count(r.resources)} resources in ${seconds(ms)}`),
      onReused: (name) => progress?.(`${name}: unchanged`),
      onChecked: (diagnostics) => {
        for (const d of shown(diagnostics)) err(formatDiagnostic(d));
      },
    });
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
  if (!result.ok) return invalid(result.diagnostics, err);
  if (!quiet) out(summary(result.synthesized, result.reused, outdir, performance.now() - started));
  return io.signal?.aborted ? EXIT.interrupted : EXIT.ok;
}

/** ` (2 warnings acknowledged)`, when the files acknowledge any. */
function acknowledged(diagnostics: readonly Diagnostic[]): string {
  const n = diagnostics.length - shown(diagnostics).length;
  return n === 0 ? "" : ` (${n} ${n === 1 ? "warning" : "warnings"} acknowledged)`;
}

function invalid(diagnostics: readonly { severity: string }[], err: (line: string) => void): number {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  err(`meshform: ${errors} ${errors === 1 ? "error" : "errors"}; nothing was written`);
  return EXIT.invalid;
}

/** `synthesized dev, prod into cdktf.out/stacks/ in 0.61 s; unchanged: staging`. */
function summary(made: string[], reused: string[], outdir: string, ms: number): string {
  const list = (names: string[]) => [...names].sort().join(", ");
  const unchanged = reused.length > 0 ? `; unchanged: ${list(reused)}` : "";
  if (made.length === 0) return `meshform: ${outdir}/stacks/ is up to date (${list(reused)}) in ${seconds(ms)}`;
  return `meshform: synthesized ${list(made)} into ${outdir}/stacks/ in ${seconds(ms)}${unchanged}`;
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

/** Runs the command line in this process, as `node cli.js …` or the launcher (bin/meshform.js) does. */
export function main(argv: readonly string[]): void {
  reportUsageAtExit("main");
  run(argv, { ...defaultIo(), signal: interruptSignal(), started: 0 }).then(
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

if (require.main === module) main(process.argv.slice(2));
