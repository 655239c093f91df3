/**
 * `npm run --silent apply-targets [-- --config-dir DIR]`: the environments CI applies, as JSON for a workflow's
 * matrix: `[{"env":"prod","timeout":80,"chain":["data-processing","data-ingestion"]}]`. Exit 1 (with every problem
 * printed) when a config is invalid or an environment's apply could outlast a GitHub-hosted job.
 */
import { parseArgs } from "node:util";
import { formatDiagnostic, hasErrors, shown } from "../config/diagnostics";
import { loadEnvironments } from "../environments";
import { providerOf } from "../providers";
import { applyTargets, GITHUB_JOB_LIMIT_MINUTES } from "./apply-budget";

export function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { "config-dir": { type: "string", default: "config" } } });
  const { environments, diagnostics } = loadEnvironments(values["config-dir"]!);
  for (const d of shown(diagnostics)) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (hasErrors(diagnostics)) return 1;
  const targets = applyTargets(environments, (env) => providerOf(env.mesh.provider));
  const long = targets.filter((t) => t.timeout > GITHUB_JOB_LIMIT_MINUTES);
  for (const t of long) {
    process.stderr.write(
      `meshform: ${t.env}: applying may take ${t.timeout} minutes (${t.chain.join(" → ")} deploy one after another), beyond a GitHub-hosted job's ${GITHUB_JOB_LIMIT_MINUTES}: shorten bake times or apply it from a self-hosted runner\n`,
    );
  }
  if (long.length > 0) return 1;
  process.stdout.write(`${JSON.stringify(targets)}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
