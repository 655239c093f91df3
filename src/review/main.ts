/**
 * The reviewer's commands:
 *   npm run review  -- --base <git ref | directory> [--plan [ENV=]FILE]... [--out FILE] [--config-dir DIR]
 *   npm run explain -- --env ENV [SERVICE] [--config-dir DIR]
 *   npm run diagram -- --env ENV [--out FILE] [--svg FILE] [--config-dir DIR]
 * Exit 0 with the Markdown (or Mermaid) on stdout; 1 with one line for a config or base that cannot be read;
 * 2 with usage.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatDiagnostic, hasErrors, shown } from "../config/diagnostics";
import type { ResolvedEnvironment } from "../config/model";
import { loadEnvironments } from "../environments";
import { synthesize } from "../synth/synthesize";
import { BaseError, loadBase, readStacks } from "./base";
import { environmentCost, renderCost } from "./cost";
import { compareStacks, type Json, type ResourceChange } from "./diff";
import { renderExplain } from "./explain";
import { type EnvironmentReview, renderReview } from "./markdown";
import { mermaid } from "./mermaid";
import { planChanges, withPlan } from "./plan";
import { riskFlags } from "./risk";
import { RenderError, renderSvg } from "./svg";

const USAGE = [
  "usage: review  --base <git ref | directory> [--plan [ENV=]FILE]... [--out FILE] [--config-dir DIR]",
  "       explain --env ENV [SERVICE] [--config-dir DIR]",
  "       diagram --env ENV [--out FILE] [--svg FILE] [--config-dir DIR]",
].join("\n");

class UsageError extends Error {}

function environments(configDir: string, only?: string): ResolvedEnvironment[] {
  const { environments, diagnostics } = loadEnvironments(configDir, only);
  for (const d of shown(diagnostics)) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (hasErrors(diagnostics)) throw new BaseError("the config has errors (above); nothing reviewed");
  return environments;
}

function one(configDir: string, env: string | undefined): ResolvedEnvironment {
  if (!env) throw new UsageError("--env is required");
  const found = environments(configDir, env).find((e) => e.name === env);
  if (!found) throw new BaseError(`no environment "${env}" in ${configDir}`);
  return found;
}

/** `--plan` values: `ENV=FILE` for a plan of one stack, or `FILE` whose addresses carry `module.<env>.`. */
function plans(values: readonly string[]): Map<string, ResourceChange[]> {
  const out = new Map<string, ResourceChange[]>();
  for (const value of values) {
    const eq = /^([a-z][a-z0-9-]*)=(.+)$/.exec(value);
    const [env, file] = eq ? [eq[1], eq[2]!] : [undefined, value];
    let plan: Json;
    try {
      plan = JSON.parse(readFileSync(file, "utf8")) as Json;
    } catch (err) {
      throw new BaseError(`--plan ${file}: ${(err as Error).message.split("\n")[0]} (want the output of terraform show -json)`);
    }
    for (const [stack, changes] of planChanges(plan, env)) out.set(stack, [...(out.get(stack) ?? []), ...changes]);
  }
  return out;
}

async function review(values: { base?: string; plan?: string[]; "config-dir": string }): Promise<string> {
  if (!values.base) throw new UsageError("--base is required");
  const after = environments(values["config-dir"]);
  const base = loadBase(values.base);
  const scratch = mkdtempSync(join(tmpdir(), "meshform-review-"));
  try {
    await synthesize(after, scratch);
    const afterStacks = readStacks(scratch);
    const planned = plans(values.plan ?? []);
    const names = [...new Set([...base.stacks.keys(), ...afterStacks.keys()])].sort();
    const reviews: EnvironmentReview[] = [];
    const unchanged: string[] = [];
    for (const name of names) {
      const [b, a] = [base.stacks.get(name), afterStacks.get(name)];
      const { changes: diffed, ordering } = compareStacks(b, a);
      const plan = planned.get(name);
      const changes = plan ? withPlan(diffed, plan) : diffed;
      if (changes.length === 0) {
        unchanged.push(ordering.length > 0 ? `${name} (order only: ${ordering.map((o) => `\`${o.address}\``).join(", ")})` : name);
        continue;
      }
      const beforeEnv = base.environments?.get(name);
      const afterEnv = after.find((e) => e.name === name);
      reviews.push({
        name,
        changes,
        ordering,
        flags: riskFlags(b, a, changes),
        ...(beforeEnv && { before: beforeEnv }),
        ...(afterEnv && { after: afterEnv }),
        planned: plan !== undefined,
      });
    }
    return renderReview(base.label, reviews, unchanged);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: {
        base: { type: "string" },
        plan: { type: "string", multiple: true },
        out: { type: "string" },
        svg: { type: "string" },
        env: { type: "string" },
        "config-dir": { type: "string", default: "config" },
      },
      allowPositionals: true,
    });
    let text: string;
    if (command === "review" && positionals.length === 0) text = await review(values);
    else if (command === "explain" && positionals.length <= 1) {
      const env = one(values["config-dir"]!, values.env);
      text = `${renderExplain(env, positionals[0])}\n${renderCost(environmentCost(env))}\n`;
    } else if (command === "diagram" && positionals.length === 0) {
      text = `${mermaid(one(values["config-dir"]!, values.env))}\n`;
      if (values.svg) renderSvg(text, values.svg);
    } else throw new UsageError(USAGE);
    if (values.out) writeFileSync(values.out, text);
    else process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    return 0;
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
