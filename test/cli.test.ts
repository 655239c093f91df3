/** The command line end to end: exit codes, messages, and all-or-nothing output. */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { run } from "../src/cli";
import { DEV_YAML, ENVS, endOfLife, envFile } from "./helpers";
import { CLI, processTimeout, REPO } from "./process";

const USAGE = "usage: meshform synth|validate [--env NAME] [--config-dir DIR] [--force] [--jobs N] [--quiet]";

async function cli(argv: string[], outdir = join(mkdtempSync(join(tmpdir(), "meshform-out-")), "cdktf.out")) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (l) => out.push(l), err: (l) => err.push(l), outdir });
  return { code, out, err, outdir };
}

function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "meshform-cfg-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("meshform validate", () => {
  it("exits 0 and names the valid environments", async () => {
    const r = await cli(["validate", "--config-dir", ENVS]);
    expect(r).toMatchObject({
      code: 0,
      out: ["meshform: valid: dev, prod, qa, staging"],
      err: [endOfLife(envFile("dev"))],
    });
  });

  it("exits 1 listing every problem with file, line, column and path, and writes nothing", async () => {
    const dir = configDir({ "dev.yaml": DEV_YAML.replace("cpu: 512", "cpu: 500").replace("egress: DROP_ALL", "egress: DENY") });
    const r = await cli(["validate", "--config-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      endOfLife(`${dir}/dev.yaml`),
      `${dir}/dev.yaml:12:11 mesh.egress: must be one of "DROP_ALL", "ALLOW_ALL", got "DENY" [MF002]`,
      `${dir}/dev.yaml:20:10 services.data-ingestion.cpu: must be a Fargate CPU size: one of 256, 512, 1024, 2048, 4096, 8192, 16384, got 500 [MF002]`,
      "meshform: 2 errors; nothing was written",
    ]);
    expect(existsSync(r.outdir)).toBe(false);
  });

  it("prints warnings but exits 0", async () => {
    const dir = configDir({ "dev.yaml": DEV_YAML.replace("      timeout: 65s\n", "") });
    const r = await cli(["validate", "--config-dir", dir]);
    expect(r.code).toBe(0);
    expect(r.err).toHaveLength(2);
    expect(r.err[1]).toContain("warning: 12 retries of 5s");
  });

  it("prints usage with --help and exits 0", async () => {
    expect(await cli(["--help"])).toMatchObject({ code: 0, out: [USAGE] });
  });

  it("exits 2 with usage on bad arguments", async () => {
    expect((await cli(["deploy"])).code).toBe(2);
    expect((await cli(["synth", "--nope"])).err[0]).toMatch(/^meshform: Unknown option '--nope'/);
    expect((await cli(["synth", "extra"])).err).toEqual([USAGE]);
    expect((await cli(["synth", "--jobs", "0"])).err).toEqual([`meshform: --jobs must be a whole number of 1 or more, got "0"\n${USAGE}`]);
  });
});

// In this process (loading cdktf the first time), and as two processes one after the other.
describe("meshform synth", { timeout: processTimeout(2) }, () => {
  it("writes one stack per environment in cdktf's layout", async () => {
    const r = await cli(["synth", "--config-dir", ENVS]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(r.outdir, "stacks")).sort()).toEqual(["dev", "prod", "qa", "staging"]);
    const dev = JSON.parse(readFileSync(join(r.outdir, "stacks/dev/cdk.tf.json"), "utf8"));
    expect(dev.resource.aws_appmesh_mesh).toBeDefined();
    const manifest = JSON.parse(readFileSync(join(r.outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["dev", "prod", "qa", "staging"]);
  });

  it("synthesizes just one environment with --env", async () => {
    const r = await cli(["synth", "--env", "dev", "--config-dir", ENVS]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(r.outdir, "stacks"))).toEqual(["dev"]);
  });

  it("names the environment it cannot find with --env, as validate does, and writes nothing", async () => {
    const parent = mkdtempSync(join(tmpdir(), "meshform-out-"));
    onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
    const r = await cli(["synth", "--env", "devv", "--config-dir", ENVS], join(parent, "cdktf.out"));
    const missing = `${ENVS}/devv.yaml:1:1 no such environment file; environments found: dev, prod, qa, staging [MF001]`;
    expect(r).toMatchObject({ code: 1, err: [missing, "meshform: 1 error; nothing was written"] });
    expect((await cli(["validate", "--env", "devv", "--config-dir", ENVS])).err[0]).toBe(missing);
    expect(existsSync(r.outdir)).toBe(false);
  });

  it("writes nothing, and leaves the previous output alone, when any environment is invalid", async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "meshform-out-")), "cdktf.out");
    mkdirSync(outdir);
    writeFileSync(join(outdir, "previous"), "kept");
    const dir = configDir({ "dev.yaml": DEV_YAML, "prod.yaml": DEV_YAML });
    const r = await cli(["synth", "--config-dir", dir], outdir);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      endOfLife(`${dir}/dev.yaml`),
      `${dir}/prod.yaml:3:14 environment: must equal the file name "prod", got "dev" [MF101]`,
      endOfLife(`${dir}/prod.yaml`),
      "meshform: 1 error; nothing was written",
    ]);
    expect(readdirSync(outdir)).toEqual(["previous"]);
  });

  it("gives byte-identical cdk.tf.json from any directory", async () => {
    const synthIn = (parent: string) => {
      const cwd = join(parent, "checkout");
      cpSync(join(REPO, ENVS), join(cwd, "config"), { recursive: true });
      const p = spawnSync(process.execPath, [CLI, "synth", "--env", "dev"], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, CDKTF_OUTDIR: "" },
      });
      expect(p.stderr).toBe(`${endOfLife("config/dev.yaml")}\n`);
      return readFileSync(join(cwd, "cdktf.out/stacks/dev/cdk.tf.json"), "utf8");
    };
    const [dirA, dirB] = [mkdtempSync(join(tmpdir(), "a-")), mkdtempSync(join(tmpdir(), "a-much-longer-directory-name-"))];
    const a = synthIn(dirA);
    expect(synthIn(dirB)).toBe(a);
    expect(a).not.toContain(dirA);
    expect(a).not.toContain(REPO);
  });
});

describe("check:terraform", () => {
  const checkCli = (...args: string[]) =>
    spawnSync(process.execPath, [join(REPO, "dist/src/terraform/check-cli.js"), ...args], { encoding: "utf8" });

  it("prints its usage with --help, and exits 2 with it on an unknown option, without looking for Terraform", () => {
    const help = checkCli("--help");
    expect(help).toMatchObject({ status: 0, stderr: "" });
    expect(help.stdout).toMatch(/^usage: npm run check:terraform \[-- --config-dir DIR\] \[--env NAME\] \[--plan-json FILE\]\n/);
    const bad = checkCli("--nope");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^check:terraform: Unknown option '--nope'.*\nusage: npm run check:terraform /s);
  });
});
