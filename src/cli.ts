/**
 * meshform's command line: `synth` (validate every environment, then write cdktf.out) and `validate`.
 *   node dist/src/cli.js synth|validate [--env NAME] [--config-dir DIR]
 * Exit codes: 0 done (warnings may print), 1 invalid config, 2 bad usage or an internal error.
 */
import { parseArgs } from "node:util";
import { formatDiagnostic, hasErrors } from "./config/diagnostics";
import { loadEnvironments } from "./config/environments";

const USAGE = "usage: meshform synth|validate [--env NAME] [--config-dir DIR]";

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Where `synth` writes; cdktf's CLI passes its own through CDKTF_OUTDIR. */
  outdir: string;
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
    return 2;
  }
  if (parsed.values.help) {
    out(USAGE);
    return 0;
  }
  const [command, ...extra] = parsed.positionals;
  if ((command !== "synth" && command !== "validate") || extra.length > 0) {
    err(USAGE);
    return 2;
  }
  const { environments, diagnostics } = loadEnvironments(parsed.values["config-dir"]!, parsed.values.env);
  for (const d of diagnostics) err(formatDiagnostic(d));
  if (hasErrors(diagnostics)) {
    const count = diagnostics.filter((d) => d.severity === "error").length;
    err(`meshform: ${count} ${count === 1 ? "error" : "errors"}; nothing was written`);
    return 1;
  }
  const names = environments.map((e) => e.name).join(", ");
  if (command === "validate") {
    out(`meshform: valid: ${names}`);
    return 0;
  }
  // Loaded here so that `validate` never pays for the provider bindings.
  const { synthesize } = await import("./synth.js");
  synthesize(environments, outdir);
  out(`meshform: synthesized ${names} into ${outdir}/stacks/`);
  return 0;
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`meshform: internal error: ${(e as Error).message} (MESHFORM_DEBUG=1 shows where)`);
      if (process.env.MESHFORM_DEBUG) console.error(e);
      process.exitCode = 2;
    },
  );
}
