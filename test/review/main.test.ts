/** `npm run review`, `explain` and `diagram` end to end: changes to the fixture environments reviewed against a base. */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadEnvironments } from "../../src/environments";
import { main } from "../../src/review/main";
import { COMMENT_LIMIT, renderReview } from "../../src/review/markdown";
import { synthesize } from "../../src/synth/synthesize";
import { DEV_YAML, ENVS, edit } from "../helpers";
import { processTimeout } from "../process";
import { configDir, scratch, stacksOf } from "./review-helpers";

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
  const repo = scratch("review-repo");
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

/** The README's example: dev with fewer retries, egress opened, data-ingestion at 0 tasks. */
const README_CHANGE = edit(
  edit(edit(DEV_YAML, "maxRetries: 12", "maxRetries: 3"), "egress: DROP_ALL", "egress: ALLOW_ALL"),
  "    desiredCount: 1\n    timeout: 70s",
  "    desiredCount: 0\n    timeout: 70s",
);

/** The issue's change: data-processing gets a variable and a backend; egress opened; its retries lowered. */
const ISSUE_CHANGE = edit(
  edit(edit(DEV_YAML, "maxRetries: 12", "maxRetries: 3"), "egress: DROP_ALL", "egress: ALLOW_ALL"),
  "    timeout: 65s\n    route:",
  "    timeout: 65s\n    backends: [data-ingestion]\n    environment: { FEATURE_FLAGS: beta }\n    route:",
);

// Synthesizes in this process (loading cdktf the first time), and a git ref in a worktree, as a synth process.
describe("review", { timeout: processTimeout(3) }, () => {
  // The fixture environments' stacks, the base of most tests: synthesized once, removed after the last.
  let base: string;
  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), "meshform-review-base-"));
    await synthesize(loadEnvironments(ENVS).environments, base);
  }, processTimeout(1));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("lists exactly the variable and the backend added, raises the four findings at their lines, and fails only with --fail-on", async () => {
    const config = configDir({ "dev.yaml": ISSUE_CHANGE });
    const file = join(config, "dev.yaml");
    const r = await run("review", "--base", base, "--config-dir", config);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toContain("No changes: prod, qa, staging.");
    expect(r.out).toContain(
      [
        "**Findings**: 1 high, 1 medium, 2 low",
        "",
        `- :red_circle: **high** \`${file}:12:11\` \`mesh.egress\`: egress opened (ALLOW_ALL): tasks may now reach any address, not only the mesh's services and named external services (\`aws_appmesh_mesh.mesh_A3114631\`) [MF902]`,
        `- :orange_circle: **medium** \`${file}:40:21\` \`services.data-processing.route.retryPolicy.maxRetries\`: route dev-smn-app-mesh-ecs-data-processing-route: retries lowered from 12 to 3: more requests fail (or are dead-lettered) during an outage (\`aws_appmesh_route.data-processing-router_route_BFBE9614\`) [MF903]`,
        `- :yellow_circle: **low** \`${file}:33:16\` \`services.data-processing.backends[0]\`: data-processing now calls data-ingestion (DATA_INGESTION_URL): its failures and latency reach data-processing's clients (\`aws_ecs_task_definition.data-processing-task_definition_38843276\`) [MF913]`,
        `- :yellow_circle: **low** \`${file}:33:16\` \`services.data-processing.backends[0]\`: dev-smn-app-mesh-ecs-data-ingestion now admits port 3000 from data-processing's tasks (security group dev-smn-app-mesh-ecs-data-processing): a new caller; only what is in that group gets in, not a network (\`aws_vpc_security_group_ingress_rule.data-ingestion-security-group_from-data-processing_4154AA23\`) [MF924]`,
        "",
      ].join("\n"),
    );
    // The task definition: the variable and the backend's two variables added, nothing renamed.
    expect(r.out).toContain(
      [
        "- **replaced** `aws_ecs_task_definition.data-processing-task_definition_38843276` (forced by `(any change: a new revision)`, predicted)",
        "  <details><summary>3 attributes</summary>",
        "",
        '  - added `container_definitions[name=app].environment[name=DATA_INGESTION_TIMEOUT_MS]`: `{"name":"DATA_INGESTION_TIMEOUT_MS","value":"15000"}`',
        '  - added `container_definitions[name=app].environment[name=DATA_INGESTION_URL]`: `{"name":"DATA_INGESTION_URL","value":"http://data-ingestion.dev.smn-app-mesh-ecs.internal:3000"}`',
        '  - added `container_definitions[name=app].environment[name=FEATURE_FLAGS]`: `{"name":"FEATURE_FLAGS","value":"beta"}`',
        "",
        "  </details>",
      ].join("\n"),
    );
    expect(r.out).toContain(
      "- changed `aws_appmesh_virtual_node.data-processing-node_B10FC06C`\n  <details><summary>1 attribute</summary>\n\n  - added `spec.backend[virtual_service=${aws_appmesh_virtual_service.data-ingestion-virtual-service_436888C3.name}]`:",
    );
    expect(r.out).not.toMatch(/environment\[\d+\]/);
    // data-ingestion now admits data-processing on its port, which may now reach it: a rule in each group. The ECS
    // services' depends_on gained the rules: an order, not a change.
    expect(r.out).toContain("**Resources**: 2 to add, 3 to change, 1 to replace, 0 to remove");
    expect(r.out).toContain(
      "Order or lifecycle only, nothing to apply: `aws_ecs_service.data-ingestion-service_EC8BA361` (`depends_on`), `aws_ecs_service.data-processing-service_FC2BC6C0` (`depends_on`).",
    );
    expect(r.out).toContain(
      "$36.04 a month on demand (eu-west-1 x86 $0.04048 per vCPU-hour and $0.004445 per GB-hour; AWS Price List, EU-Fargate-* usage types, as of 2026-05-01)",
    );

    const failed = await run("review", "--base", base, "--config-dir", config, "--fail-on", "high");
    expect(failed.code).toBe(1);
    expect(failed.out).toBe(
      r.out.replace(
        "**Findings**: 1 high, 1 medium, 2 low.",
        "**Findings**: 1 high, 1 medium, 2 low. :x: 1 at `high` or above, unacknowledged: the check fails (`--fail-on high`).",
      ),
    );
    expect(failed.err).toBe(
      `meshform: review: 1 unacknowledged finding at high or above (--fail-on high):\n  dev: ${file}:12:11 mesh.egress: egress opened (ALLOW_ALL): tasks may now reach any address, not only the mesh's services and named external services [MF902]\n`,
    );
    expect((await run("review", "--base", base, "--config-dir", config, "--fail-on", "medium")).err).toMatch(
      /^meshform: review: 2 unacknowledged findings at medium or above/,
    );
  });

  it("passes --fail-on when the file acknowledges the findings that would fail it, and shows the reasons", async () => {
    const acknowledged = edit(
      ISSUE_CHANGE,
      "logRetentionDays: 7\n",
      'logRetentionDays: 7\nacknowledge: { MF902: "the scraper reaches vendors; see #42" }\n',
    );
    const config = configDir({ "dev.yaml": acknowledged });
    const r = await run("review", "--base", base, "--config-dir", config, "--fail-on", "high");
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toContain(
      "**Findings**: 1 medium, 2 low (1 acknowledged). :white_check_mark: none open at `high` or above (`--fail-on high`).",
    );
    expect(r.out).toContain(
      `- :white_check_mark: high, **acknowledged**: the scraper reaches vendors; see #42 — \`${join(config, "dev.yaml")}:12:11\` \`mesh.egress\`: egress opened`,
    );
  });

  it("writes GitHub annotations on stdout with --annotations, the Markdown to --out", async () => {
    const config = configDir({ "dev.yaml": README_CHANGE });
    const out = join(scratch("review-out"), "review.md");
    const r = await run("review", "--base", base, "--config-dir", config, "--annotations", "--out", out, "--fail-on", "high");
    expect(r.code).toBe(1);
    const file = join(config, "dev.yaml");
    expect(r.out.trimEnd().split("\n")).toEqual([
      `::error file=${file},line=12,col=11,title=MF902 high%3A egress is opened to any address::dev: mesh.egress: egress opened (ALLOW_ALL): tasks may now reach any address, not only the mesh's services and named external services`,
      `::error file=${file},line=22,col=19,title=MF907 high%3A a service is scaled to zero tasks::dev: services.data-ingestion.desiredCount: dev-smn-app-mesh-ecs-data-ingestion scaled to 0 tasks (from 1): it answers nothing, and its callers' requests fail or are dead-lettered`,
      `::warning file=${file},line=38,col=21,title=MF903 medium%3A a retry policy allows fewer retries::dev: services.data-processing.route.retryPolicy.maxRetries: route dev-smn-app-mesh-ecs-data-processing-route: retries lowered from 12 to 3: more requests fail (or are dead-lettered) during an outage`,
    ]);
    expect(readFileSync(out, "utf8")).toMatch(/^<!-- meshform review -->\n/);
  });

  it("counts a rise in the month's compute beyond --max-cost-increase as a finding", async () => {
    const config = configDir({
      "dev.yaml": edit(DEV_YAML, "    desiredCount: 1\n    timeout: 65s", "    desiredCount: 3\n    timeout: 65s"),
    });
    const r = await run("review", "--base", base, "--config-dir", config, "--max-cost-increase", "50%", "--fail-on", "high");
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "- :red_circle: **high** the month's on-demand Fargate compute rises +$36.04 (+100.0%), from $36.04 to $72.08: more than --max-cost-increase 50% allows [MF916]",
    );
    expect(r.out).toContain("$72.08 a month on demand (+$36.04, +100.0%, was $36.04)");
    expect((await run("review", "--base", base, "--config-dir", config, "--max-cost-increase", "$40", "--fail-on", "high")).code).toBe(0);
  });

  it("marks the changed cells of the summary against a git ref, synthesized in a worktree, and flags a plan older than its commit", async () => {
    const repo = fixtureRepo();
    const config = configDir({ "dev.yaml": README_CHANGE });
    const plan = join(scratch("review-plan"), "plan-dev.json");
    writeFileSync(plan, JSON.stringify({ format_version: "1.2", timestamp: "2020-01-01T00:00:00Z", resource_changes: [] }));
    const r = await runIn(repo, "review", "--base", "HEAD", "--config-dir", config, "--plan", `dev=${plan}`);
    expect(r.code).toBe(0);
    expect(r.out).toContain("# meshform review: HEAD → this change");
    expect(r.out).toContain("| data-ingestion | appmesh | 3000 | 512 / 1024 (320 / 640 + 192 / 384) | **0** (was 1) |");
    expect(r.out).toContain("**3 × 5s on gateway-error, connection-error** (was 12 × 5s on gateway-error, connection-error)");
    expect(r.out).toMatch(
      new RegExp(
        `\\n- :orange_circle: \\*\\*medium\\*\\* ${plan.replace(/[.]/g, "\\.")} was planned at 2020-01-01T00:00:00\\.000Z, before the base commit \\(HEAD, 20\\d\\d-[^)]+\\): it may miss what the base changed since; plan again \\[MF918\\]\\n`,
      ),
    );
  });

  it("takes Terraform's actions and reasons from a plan", async () => {
    const config = configDir({ "dev.yaml": README_CHANGE });
    const r = await run("review", "--base", base, "--config-dir", config, "--plan", "dev=test/fixtures/plans/replace-and-update.plan.json");
    expect(r.out).toContain("- **replaced** `aws_ecr_repository.data-processing-ecr_repository_1` (forced by `name`)");
    // The plan's own resources, which the stacks do not have, are listed and flagged as Terraform says.
    expect(r.out).toContain(
      "- :red_circle: **high** replaced: the dead letters waiting in it are lost (`aws_sqs_queue.dead-letters_queue_1`) [MF901]",
    );
    expect(r.out).not.toContain("_Actions compared from the synthesized JSON");
  });

  it("says a plan made against empty state is one, and reviews the stacks instead of reporting everything as new", async () => {
    const r = await run("review", "--base", base, "--config-dir", ENVS, "--plan", "test/fixtures/plans/check-create.plan.json");
    expect(r.code).toBe(0);
    expect(r.out).toContain("No changes: dev, prod, qa, staging.");
    expect(r.out).not.toContain("A new environment");
    expect(r.out).toContain(
      "- :yellow_circle: **low** the plan of dev creates every resource it changes, 3 of which the base's stack already has: it was made against empty state (as check:terraform plans) or the base was never applied; its actions are not used, the stacks are compared instead [MF917]",
    );
    expect(r.out).toContain("the plan of staging creates every resource it changes, 2 of which");
  });

  it("says what is wrong with a base, a plan or an option in one line, and shows usage for bad arguments", async () => {
    expect(await run("review", "--base", "no-such-ref-or-dir", "--config-dir", ENVS)).toMatchObject({
      code: 1,
      err: `meshform: --base no-such-ref-or-dir: neither a directory nor a git ref of ${process.cwd()}\n`,
    });
    expect(await run("review", "--base", base, "--config-dir", ENVS, "--plan", "dev=missing.json")).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^meshform: --plan missing\.json: ENOENT/),
    });
    expect((await run("review")).code).toBe(2);
    expect((await run("review", "--base", base, "--fail-on", "severe")).err).toMatch(
      /^meshform: --fail-on must be one of info, low, medium, high, got "severe"\n/,
    );
    expect((await run("review", "--base", base, "--max-cost-increase", "lots")).err).toMatch(
      /^meshform: --max-cost-increase must be a percentage \(20%\) or dollars a month \(\$50\), got "lots"\n/,
    );
    expect((await run("review", "--base", base, "--annotations")).err).toMatch(
      /^meshform: --annotations prints GitHub workflow commands on stdout: give --out FILE/,
    );
    expect((await run("explain")).err).toBe(
      "meshform: --env is required\nusage: review  --base <git ref | directory> [--plan [ENV=]FILE]... [--fail-on info|low|medium|high] [--max-cost-increase N%|$N] [--annotations] [--out FILE] [--config-dir DIR]\n       explain --env ENV [SERVICE] [--config-dir DIR]\n       diagram --env ENV [--out FILE] [--svg FILE] [--config-dir DIR]\n",
    );
  });

  it("says when an environment is new, every resource of it added, and that its images cannot exist yet", async () => {
    const partial = configDir({}, { fixtures: false });
    for (const env of ["dev", "prod", "staging"]) cpSync(join(ENVS, `${env}.yaml`), join(partial, `${env}.yaml`));
    const r = await run("review", "--base", await stacksOf(partial), "--config-dir", ENVS);
    expect(r.out).toContain("No changes: dev, prod, staging.");
    // Each version's ECS service pulls from its service's new repository; the load balancer's rule admits its network.
    expect(r.out).toMatch(
      /## qa\n\n\*\*Findings\*\*: 3 high, 1 medium\n\n(?:- .*\[MF915\]\n){3}- .*admits 10\.0\.0\.0\/8 on port 443.*\[MF909\]\n\nA new environment: every resource is added\.\n/,
    );
    expect(r.out).toContain(
      "`test/fixtures/envs/qa.yaml:53:7` `services.data-processing.versions.v2`: qa-smn-app-mesh-ecs-data-processing-v2 is new and its image (tag v2) is in qa-smn-app-mesh-ecs/data-processing",
    );
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
  it("ends with the environment's monthly compute, priced", async () => {
    const r = await run("explain", "--env", "dev", "--config-dir", ENVS);
    expect(r.out).toContain("- tries: 13 (1 + 12 retries) of 5s each = 65s; 13 fit in the route's 65s (retried by the caller's Envoy)");
    expect(r.out.trimEnd().split("\n").at(-1)).toBe(
      "**Fargate compute**: 730 vCPU-hours and 1,460 GB-hours a month; sidecars take 37.5% of the CPU and 37.5% of the memory; $36.04 a month on demand (eu-west-1 x86 $0.04048 per vCPU-hour and $0.004445 per GB-hour; AWS Price List, EU-Fargate-* usage types, as of 2026-05-01)",
    );
  });

  it("exits 1 naming the services for a service the environment does not have, with the closest", async () => {
    expect(await run("explain", "--env", "prod", "data-ingestoin", "--config-dir", ENVS)).toEqual({
      code: 1,
      out: "",
      err: "meshform: no service data-ingestoin in prod; did you mean data-ingestion? services: data-ingestion, data-processing\n",
    });
    expect((await run("explain", "--env", "prod", "billing", "--config-dir", ENVS)).err).toBe(
      "meshform: no service billing in prod; services: data-ingestion, data-processing\n",
    );
  });
});

describe("diagram --svg", () => {
  it("says what it needs when mermaid-cli or Chromium is missing", async () => {
    vi.stubEnv("MERMAID_CLI", "/no/mmdc");
    vi.stubEnv("CHROMIUM", process.execPath); // any file: the check is that it exists
    const svg = join(scratch("svg"), "qa.svg");
    const r = await run("diagram", "--env", "qa", "--config-dir", ENVS, "--svg", svg);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^meshform: --svg: cannot run \/no\/mmdc \(ENOENT\); render it with mermaid-cli and Chromium: apt-get install chromium; /,
    );
    vi.stubEnv("CHROMIUM", "/no/chromium");
    expect((await run("diagram", "--env", "qa", "--config-dir", ENVS, "--svg", svg)).err).toMatch(
      /^meshform: --svg: no Chromium at \/no\/chromium \(set CHROMIUM\); /,
    );
    vi.unstubAllEnvs();
  });

  // Where MERMAID_CLI names mermaid-cli (the README says how), the committed SVG must be what it renders today.
  it.skipIf(!process.env.MERMAID_CLI)(
    "renders qa's graph as the README shows it (needs MERMAID_CLI)",
    async () => {
      const out = join(scratch("svg"), "qa.svg");
      expect((await run("diagram", "--env", "qa", "--config-dir", ENVS, "--svg", out)).code).toBe(0);
      expect(readFileSync(out, "utf8")).toBe(readFileSync("docs/qa-mesh.svg", "utf8"));
    },
    60_000,
  );
});

describe("diagram", () => {
  const QA = [
    "graph LR",
    '  data_ingestion["data-ingestion<br/>:3000 × 2"]',
    '  data_ingestion_ingress(("internal NLB :443")) --> data_ingestion',
    '  data_ingestion -->|"12 retries × 5s, 65s in all, signed"| data_processing',
    '  data_processing["data-processing<br/>:3000 × 3"]',
    '  data_processing -->|"main 90%"| data_processing_v1["v1 (v1) × 2"]',
    '  data_processing -->|"beta (x-beta-user=true) 100%, main 10%"| data_processing_v2["v2 (v2) × 1"]',
    '  data_processing -.-> external_weather_api{{"api.weather.example.com:443"}}',
  ].join("\n");

  it("draws qa's mesh on VPC Lattice: the ingress, the caller's signed calls and retries, the versions with their shares and matches, the way out", async () => {
    expect((await run("diagram", "--env", "qa", "--config-dir", ENVS)).out).toBe(`${QA}\n`);
  });

  it("writes it to --out as a fenced mermaid block for Markdown, or as Mermaid's own text to a .mmd file", async () => {
    const dir = scratch("diagram");
    expect((await run("diagram", "--env", "qa", "--config-dir", ENVS, "--out", join(dir, "qa.md"))).code).toBe(0);
    expect(readFileSync(join(dir, "qa.md"), "utf8")).toBe(`\`\`\`mermaid\n${QA}\n\`\`\`\n`);
    await run("diagram", "--env", "qa", "--config-dir", ENVS, "--out", join(dir, "qa.mmd"));
    expect(readFileSync(join(dir, "qa.mmd"), "utf8")).toBe(`${QA}\n`);
  });
});
