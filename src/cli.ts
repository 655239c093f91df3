/**
 * meshform's command line: `synth` (validate every environment, then write cdktf.out) and `validate`.
 *   node dist/src/cli.js synth|validate [--env NAME] [--config-dir DIR]
 * Exit codes: 0 done (warnings may print), 1 invalid config, 2 bad usage or an internal error.
 */
import { parseArgs } from "node:util";
import { formatDiagnostic, hasErrors } from "./config/diagnostics";
import { loadEnvironments } from "./config/environments";

const USAGE = "usage: meshform synth|validate [--env NAME] [--config-dir DIR]";

export function run(argv: readonly string[], out = console.log, err = console.error): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { env: { type: "string" }, "config-dir": { type: "string", default: "config" } },
    });
  } catch (e) {
    err(`meshform: ${(e as Error).message}\n${USAGE}`);
    return 2;
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
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  // Loaded here so that `validate` never pays for the provider bindings.
  const { synthesize } = require("./synth") as typeof import("./synth");
  synthesize(environments, outdir);
  out(`meshform: synthesized ${names} into ${outdir}/stacks/`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = run(process.argv.slice(2));
  } catch (e) {
    console.error(`meshform: internal error: ${(e as Error).message}`);
    if (process.env.MESHFORM_DEBUG) console.error(e);
    process.exitCode = 2;
  }
}
