/** `npm run review`, `explain` and `diagram` end to end: a change to dev.yaml reviewed against a base. */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { loadEnvironments } from "../../src/environments";
import { main } from "../../src/review/main";
import { COMMENT_LIMIT, renderReview } from "../../src/review/markdown";
import { synthesize } from "../../src/synth/synthesize";
import { ENVS, edit } from "../helpers";

/** The fixture environments with dev.yaml changed as in the README's example: fewer retries, egress opened, a service at 0. */
function changedConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), "meshform-review-config-"));
  cpSync(ENVS, dir, { recursive: true });
  const dev = readFileSync(join(dir, "dev.yaml"), "utf8");
  writeFileSync(
    join(dir, "dev.yaml"),
    edit(
      edit(edit(dev, "maxRetries: 12", "maxRetries: 3"), "egress: DROP_ALL", "egress: ALLOW_ALL"),
      "    desiredCount: 1\n    timeout: 70s",
      "    desiredCount: 0\n    timeout: 70s",
    ),
  );
  return dir;
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((s) => {
    err += String(s);
    return true;
  });
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, out, err: err.replace(/^\S+ mesh\.provider: warning: App Mesh reached end of life[^\n]*\n/gm, "") };
}

afterEach(() => vi.restoreAllMocks());

/**
 * A git repository of this checkout's code whose config/ holds the fixture environments, removed when the
 * test finishes: a base whose HEAD does not depend on this repository's config/, which belongs to its users.
 */
function fixtureRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), "meshform-review-repo-"));
  onTestFinished(() => rmSync(repo, { recursive: true, force: true }));
  const tracked = ["bin", "src", "stacks", "package.json", "package-lock.json", "tsconfig.json"];
  for (const path of tracked) cpSync(path, join(repo, path), { recursive: true });
  cpSync(ENVS, join(repo, "config"), { recursive: true });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "ignore" });
  git("init", "--quiet");
  git("add", "config", ...tracked);
  git("-c", "user.name=meshform tests", "-c", "user.email=tests@meshform.invalid", "commit", "--quiet", "--no-gpg-sign", "-m", "base");
  symlinkSync(resolve("node_modules"), join(repo, "node_modules"), "dir"); // after the commit: the base's worktree links it
  return repo;
}

/** `run` with the working directory at `cwd` (the git repository a `--base` ref is looked up in). */
async function runIn(cwd: string, ...argv: string[]) {
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    return await run(...argv);
  } finally {
    process.chdir(previous);
  }
}

describe("review", { timeout: 60_000 }, () => {
  let baseDir: string;
  let config: string;
  beforeAll(async () => {
    baseDir = mkdtempSync(join(tmpdir(), "meshform-review-base-"));
    await synthesize(loadEnvironments(ENVS).environments, baseDir);
    config = changedConfig();
  });

  it("lists each change at its resource and raises the three flags, saying the others did not change", async () => {
    const r = await run("review", "--base", baseDir, "--config-dir", config);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toContain("No changes: prod, qa, staging.");
    expect(r.out).toContain(
      [
        "**Risk flags**",
        "",
        "- :warning: **egress** `aws_appmesh_mesh.mesh_A3114631`: egress opened (ALLOW_ALL): tasks may now reach any address, not only the mesh's services and named external services",
        "- :warning: **retries** `aws_appmesh_route.data-processing-router_route_BFBE9614`: route dev-smn-app-mesh-ecs-data-processing-route: retries lowered from 12 to 3: more requests fail (or are dead-lettered) during an outage",
        "- :warning: **scale-to-zero** `aws_ecs_service.data-ingestion-service_EC8BA361`: dev-smn-app-mesh-ecs-data-ingestion scaled to 0 tasks (from 1): it answers nothing, and its callers' requests fail or are dead-lettered",
      ].join("\n"),
    );
    // At 0 tasks data-ingestion no longer scales (scaling follows desiredCount unless written): its scaling goes.
    expect(r.out).toContain("**Resources**: 0 to add, 3 to change, 0 to replace, 3 to remove");
    expect(r.out).toContain(
      '- changed `aws_appmesh_mesh.mesh_A3114631`\n  <details><summary>1 attribute</summary>\n\n  - `spec.egress_filter.type`: `"DROP_ALL"` → `"ALLOW_ALL"`',
    );
    expect(r.out).toContain("  - `spec.http_route.retry_policy.max_retries`: `12` → `3`");
    expect(r.out).toContain("  - `desired_count`: `1` → `0`");
    expect(r.out).toContain("- tries: 4 (1 + 3 retries) of 5s each = 20s; 4 fit in the route's 65s (retried by the caller's Envoy)");
    expect(r.out).toContain("```mermaid\ngraph LR\n");
  });

  it("marks the changed cells of the summary against a git ref, synthesized in a worktree", async () => {
    const r = await runIn(fixtureRepo(), "review", "--base", "HEAD", "--config-dir", config);
    expect(r.code).toBe(0);
    expect(r.out).toContain("# meshform review: HEAD → this change");
    expect(r.out).toContain("| data-ingestion | appmesh | 3000 | 512 / 1024 (320 / 640 + 192 / 384) | **0** (was 1) |");
    expect(r.out).toContain("**3 × 5s on gateway-error, connection-error** (was 12 × 5s on gateway-error, connection-error)");
  });

  it("takes Terraform's actions and reasons from a plan", async () => {
    const r = await run(
      "review",
      "--base",
      baseDir,
      "--config-dir",
      config,
      "--plan",
      "dev=test/fixtures/plans/replace-and-update.plan.json",
    );
    expect(r.out).toContain("- **replaced** `aws_ecr_repository.data-processing-ecr_repository_1` (forced by `name`)");
    expect(r.out).toContain(
      "- :warning: **stateful** `aws_sqs_queue.dead-letters_queue_1`: replaced: the dead letters waiting in it are lost",
    );
    expect(r.out).not.toContain("_Actions compared from the synthesized JSON");
  });

  it("says what is wrong with a base or a plan in one line, and shows usage for bad arguments", async () => {
    expect(await run("review", "--base", "no-such-ref-or-dir", "--config-dir", config)).toMatchObject({
      code: 1,
      err: `meshform: --base no-such-ref-or-dir: neither a directory nor a git ref of ${process.cwd()}\n`,
    });
    expect(await run("review", "--base", baseDir, "--config-dir", config, "--plan", "dev=missing.json")).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^meshform: --plan missing\.json: ENOENT/),
    });
    expect((await run("review")).code).toBe(2);
    expect((await run("explain")).err).toBe(
      "meshform: --env is required\nusage: review  --base <git ref | directory> [--plan [ENV=]FILE]... [--out FILE] [--config-dir DIR]\n       explain --env ENV [SERVICE] [--config-dir DIR]\n       diagram --env ENV [--out FILE] [--svg FILE] [--config-dir DIR]\n",
    );
  });

  it("says when an environment is new, every resource of it added", async () => {
    const partial = mkdtempSync(join(tmpdir(), "meshform-review-partial-"));
    await synthesize(
      loadEnvironments(ENVS).environments.filter((e) => e.name !== "qa"),
      partial,
    );
    const r = await run("review", "--base", partial, "--config-dir", ENVS);
    expect(r.out).toContain("No changes: dev, prod, staging.");
    expect(r.out).toMatch(/## qa\n\n(?:\*\*Risk flags\*\*\n\n(?:- .*\n)+\n)?A new environment: every resource is added\.\n/);
  });

  it("stays under GitHub's comment limit, saying it was cut", () => {
    const huge = renderReview(
      "main",
      [],
      Array.from({ length: 20_000 }, (_, i) => `env${i}`),
    );
    expect(huge.length).toBeLessThan(65_536);
    expect(huge.length).toBeGreaterThan(COMMENT_LIMIT);
    expect(huge).toMatch(
      /_Truncated at 65,000 characters \(GitHub's comment limit\); run `npm run review` locally for the whole review\._\n$/,
    );
  });
});

describe("explain", () => {
  it("ends with the environment's monthly compute", async () => {
    const r = await run("explain", "--env", "dev", "--config-dir", ENVS);
    expect(r.out).toContain("- tries: 13 (1 + 12 retries) of 5s each = 65s; 13 fit in the route's 65s (retried by the caller's Envoy)");
    expect(r.out.trimEnd().split("\n").at(-1)).toBe(
      "**Fargate compute**: 730 vCPU-hours and 1,460 GB-hours a month; sidecars take 37.5% of the CPU and 37.5% of the memory; price unknown: no Fargate price for eu-west-1 in src/review/prices.ts (as of 2026-11-23)",
    );
  });
});

describe("diagram --svg", () => {
  it("says what it needs when mermaid-cli or Chromium is missing", async () => {
    vi.stubEnv("MERMAID_CLI", "/no/mmdc");
    vi.stubEnv("CHROMIUM", process.execPath); // any file: the check is that it exists
    const r = await run("diagram", "--env", "qa", "--config-dir", ENVS, "--svg", join(tmpdir(), "qa.svg"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^meshform: --svg: cannot run \/no\/mmdc \(ENOENT\); render it with mermaid-cli and Chromium: apt-get install chromium; /,
    );
    vi.stubEnv("CHROMIUM", "/no/chromium");
    expect((await run("diagram", "--env", "qa", "--config-dir", ENVS, "--svg", join(tmpdir(), "qa.svg"))).err).toMatch(
      /^meshform: --svg: no Chromium at \/no\/chromium \(set CHROMIUM\); /,
    );
    vi.unstubAllEnvs();
  });

  // Where MERMAID_CLI names mermaid-cli (the README says how), the committed SVG must be what it renders today.
  it.skipIf(!process.env.MERMAID_CLI)(
    "renders qa's graph as the README shows it (needs MERMAID_CLI)",
    async () => {
      const out = join(mkdtempSync(join(tmpdir(), "meshform-svg-")), "qa.svg");
      expect((await run("diagram", "--env", "qa", "--config-dir", ENVS, "--svg", out)).code).toBe(0);
      expect(readFileSync(out, "utf8")).toBe(readFileSync("docs/qa-mesh.svg", "utf8"));
    },
    60_000,
  );
});

describe("diagram", () => {
  it("draws qa's mesh: the ingress, the retries, the versions with their weights, the way out", async () => {
    const r = await run("diagram", "--env", "qa", "--config-dir", ENVS);
    expect(r.out).toBe(
      [
        "graph LR",
        '  data_ingestion["data-ingestion<br/>:3000 × 2"]',
        '  data_ingestion_ingress(("internal NLB :443")) --> data_ingestion_gateway[["virtual gateway"]] --> data_ingestion',
        '  data_ingestion -->|"12 retries × 5s, 65s in all"| data_processing',
        '  data_processing["data-processing<br/>:3000 × 3"]',
        '  data_processing -->|"main 90%"| data_processing_v1["v1 (v1) × 2"]',
        '  data_processing -->|"beta 100%, main 10%"| data_processing_v2["v2 (v2) × 1"]',
        '  data_processing -.-> external_weather_api{{"api.weather.example.com:443"}}',
        "",
      ].join("\n"),
    );
  });
});
