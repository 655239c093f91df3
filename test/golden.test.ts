/**
 * Golden stacks: each fixture environment's cdk.tf.json as `npm run synth` writes it, byte for byte the
 * reviewed copy in test/fixtures/golden/<env>.cdk.tf.json. They show every change to a stack, where the
 * other tests' assertions each check a part of one; they supplement those assertions, not replace them.
 * When a stack changes on purpose, rewrite them with `npm run golden` and review the diff before committing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { run } from "../src/cli";
import { ENVS } from "./helpers";

const GOLDEN = "test/fixtures/golden";
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const HOW_TO_UPDATE = "if the change is intended, rewrite the golden stacks with `npm run golden` and review their diff";

/** Every fixture environment, by name: the copies of the shipped config/, App Mesh's traffic and mutual TLS. */
const FIXTURES = Object.fromEntries(
  [ENVS, "test/fixtures/configs"].flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith(".yaml"))
      .map((name) => [basename(name, ".yaml"), dir]),
  ),
);
const goldenFile = (env: string) => join(GOLDEN, `${env}.cdk.tf.json`);

/** One environment synthesized by the command line `npm run synth` runs, into a cdktf.out removed when the test finishes. */
async function synth(env: string, configDir: string): Promise<string> {
  const outdir = join(mkdtempSync(join(tmpdir(), "meshform-golden-")), "cdktf.out");
  onTestFinished(() => rmSync(dirname(outdir), { recursive: true, force: true }));
  const err: string[] = [];
  const code = await run(["synth", "--quiet", "--env", env, "--config-dir", configDir], {
    out: () => {},
    err: (line) => err.push(line),
    outdir,
  });
  expect(code, err.join("\n")).toBe(0);
  return readFileSync(join(outdir, "stacks", env, "cdk.tf.json"), "utf8");
}

describe("golden stacks", () => {
  it("cover the seven fixture environments, and no golden stack is left without one", () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(["appmesh-qa", "dev", "mtls", "operate", "prod", "qa", "staging"]);
    const stale = readdirSync(GOLDEN).filter((name) => !Object.keys(FIXTURES).some((env) => name === `${env}.cdk.tf.json`));
    if (UPDATE) for (const name of stale) unlinkSync(join(GOLDEN, name));
    else expect(stale, `golden stacks of no fixture environment; ${HOW_TO_UPDATE}`).toEqual([]);
  });

  it.each(Object.entries(FIXTURES))("%s (from %s) is synthesized byte for byte as reviewed", async (env, dir) => {
    const written = await synth(env, dir);
    const golden = goldenFile(env);
    if (UPDATE) writeFileSync(golden, written);
    expect(existsSync(golden), `${golden} is missing; ${HOW_TO_UPDATE}`).toBe(true);
    expect(written, `${golden} is not what synth writes today; ${HOW_TO_UPDATE}`).toBe(readFileSync(golden, "utf8"));
  });
});
