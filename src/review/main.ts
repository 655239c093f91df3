/**
 * The reviewer's commands:
 *   npm run review  -- --base <git ref | directory> [--plan [ENV=]FILE]... [--fail-on LEVEL] [--max-cost-increase N%|$N]
 *                      [--annotations] [--out FILE] [--config-dir DIR]
 *   npm run explain -- --env ENV [SERVICE] [--config-dir DIR]
 *   npm run diagram -- --env ENV [--out FILE] [--svg FILE] [--config-dir DIR]
 * Exit 0 with the Markdown (or Mermaid) on stdout, or in --out; 1 when `--fail-on` finds an unacknowledged
 * finding at that level or above (the Markdown is written all the same, the findings listed on stderr), or with
 * one line for a config, base, environment or service that cannot be found or read; 2 with usage. With
 * `--annotations`, stdout carries one GitHub workflow command per finding and the Markdown goes to --out.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ResolvedEnvironment } from "../config/model";
import { closest } from "../config/suggest";
import { BaseError } from "./base";
import { environmentCost, parseCostLimit, renderCost } from "./cost";
import { renderExplain } from "./explain";
import { annotations, FINDING_LEVELS, isLevel, where } from "./findings";
import { mermaid } from "./mermaid";
import { environments, review } from "./review";
import { RenderError, renderSvg } from "./svg";

const USAGE = [
  "usage: review  --base <git ref | directory> [--plan [ENV=]FILE]... [--fail-on info|low|medium|high] [--max-cost-increase N%|$N] [--annotations] [--out FILE] [--config-dir DIR]",
  "       explain --env ENV [SERVICE] [--config-dir DIR]",
  "       diagram --env ENV [--out FILE] [--svg FILE] [--config-dir DIR]",
].join("\n");

class UsageError extends Error {}

function one(configDir: string, env: string | undefined): ResolvedEnvironment {
  if (!env) throw new UsageError("--env is required");
  const found = environments(configDir, env).find((e) => e.name === env);
  if (!found) throw new BaseError(`no environment "${env}" in ${configDir}`);
  return found;
}

/** `explain --env ENV SERVICE`: the service must be one of the environment's. */
function explain(env: ResolvedEnvironment, service: string | undefined): string {
  const names = env.services.map((s) => s.name);
  if (service !== undefined && !names.includes(service)) {
    const guess = closest(service, names);
    throw new BaseError(`no service ${service} in ${env.name}; ${guess ? `did you mean ${guess}? ` : ""}services: ${names.join(", ")}`);
  }
  return `${renderExplain(env, service)}\n${renderCost(environmentCost(env))}\n`;
}

/** The diagram for a file: a Markdown file gets it fenced (GitHub renders it), a `.mmd` file as Mermaid's own text. */
const diagramFile = (graph: string, out: string) => (out.endsWith(".mmd") ? `${graph}\n` : `\`\`\`mermaid\n${graph}\n\`\`\`\n`);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: {
        base: { type: "string" },
        plan: { type: "string", multiple: true },
        "fail-on": { type: "string" },
        "max-cost-increase": { type: "string" },
        annotations: { type: "boolean", default: false },
        out: { type: "string" },
        svg: { type: "string" },
        env: { type: "string" },
        "config-dir": { type: "string", default: "config" },
      },
      allowPositionals: true,
    });
    let text: string;
    let code = 0;
    if (command === "review" && positionals.length === 0) {
      if (!values.base) throw new UsageError("--base is required");
      const failOn = values["fail-on"];
      if (failOn !== undefined && !isLevel(failOn))
        throw new UsageError(`--fail-on must be one of ${FINDING_LEVELS.join(", ")}, got "${failOn}"`);
      const limitText = values["max-cost-increase"];
      const limit = limitText === undefined ? undefined : parseCostLimit(limitText);
      if (limitText !== undefined && !limit)
        throw new UsageError(`--max-cost-increase must be a percentage (20%) or dollars a month ($50), got "${limitText}"`);
      // Workflow commands and Markdown on one stream would mix: the Markdown needs a file.
      if (values.annotations && !values.out)
        throw new UsageError("--annotations prints GitHub workflow commands on stdout: give --out FILE for the Markdown");
      const result = await review({
        base: values.base,
        configDir: values["config-dir"]!,
        plans: values.plan ?? [],
        ...(failOn && { failOn }),
        ...(limit && { maxCostIncrease: limit }),
      });
      text = result.markdown;
      if (values.annotations) for (const line of annotations(result.findings)) process.stdout.write(`${line}\n`);
      if (result.failing.length > 0) {
        code = 1;
        process.stderr.write(
          `meshform: review: ${result.failing.length} unacknowledged ${result.failing.length === 1 ? "finding" : "findings"} at ${failOn} or above (--fail-on ${failOn}):\n`,
        );
        for (const { env, finding: f } of result.failing)
          process.stderr.write(`  ${[env, where(f.at)].filter(Boolean).join(": ")}: ${f.message} [${f.rule.id}]\n`);
      }
    } else if (command === "explain" && positionals.length <= 1) {
      text = explain(one(values["config-dir"]!, values.env), positionals[0]);
    } else if (command === "diagram" && positionals.length === 0) {
      const graph = mermaid(one(values["config-dir"]!, values.env));
      text = values.out ? diagramFile(graph, values.out) : `${graph}\n`;
      if (values.svg) renderSvg(`${graph}\n`, values.svg);
    } else throw new UsageError(USAGE);
    if (values.out) writeFileSync(values.out, text);
    else process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    return code;
  } catch (err) {
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`meshform: ${err instanceof UsageError && err.message !== USAGE ? `${err.message}\n` : ""}${USAGE}\n`);
      return 2;
    }
    if (err instanceof BaseError || err instanceof RenderError) {
      process.stderr.write(`meshform: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(
        `meshform: internal error: ${process.env.MESHFORM_DEBUG ? (err as Error).stack : (err as Error).message} (MESHFORM_DEBUG=1 shows where)\n`,
      );
      process.exit(2);
    },
  );
}
