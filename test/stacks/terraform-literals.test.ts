/**
 * Security: no text a user writes is ever evaluated by Terraform. Each kind of free-text field carries
 * template syntax; the value Terraform would deploy (its JSON strings rendered by Terraform's own escape
 * rule) must equal the YAML text, and every `${` still live in the stack must be a reference meshform made.
 */
import { describe, expect, it } from "vitest";
import { escapeTemplate, terraformLiterals } from "../../src/constructs/terraform-literals";
import { DEV_YAML, edit, resolve, validate } from "../helpers";
import { type Json, one, synthStack } from "../stack-helpers";

/** Every `${…}` or `%{…}` Terraform would evaluate in `text` (escaped sequences skipped). */
function live(text: string): string[] {
  const found: string[] = [];
  const re = /(\$\$\{|%%\{)|(\$\{[^}]*\}?|%\{[^}]*\}?)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m[2]) found.push(m[2]);
  return found;
}

/**
 * What Terraform deploys for a string: with nothing live, the text with `$${` → `${` and `%%{` → `%{`;
 * anything live would be evaluated, so the deployed text is not the template's.
 */
function render(template: string): string {
  const evaluated = live(template);
  if (evaluated.length > 0) return `<Terraform evaluates ${evaluated.join(", ")}>`;
  return template.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

const HOSTILE = [
  "hello ${USER}",
  "one plus one is ${1 + 1}",
  "${path.cwd}",
  "%{ if true }x%{ endif }",
  "$${already} %%{escaped}",
  "$$${x}",
];

describe("escapeTemplate", () => {
  it("renders back, through Terraform's rule, to exactly the text written", () => {
    for (const text of [...HOSTILE, "plain", "$ and % alone", "${", "%{", "}"]) {
      expect(render(escapeTemplate(text))).toBe(text);
      expect(live(escapeTemplate(text))).toEqual([]);
    }
  });

  it("escapes map keys and nested values, and leaves numbers and booleans alone", () => {
    expect(terraformLiterals({ "${k}": ["${v}", 1, true, null], n: { m: "%{x}" } })).toEqual({
      "$${k}": ["$${v}", 1, true, null],
      n: { m: "%%{x}" },
    });
  });
});

describe("user text in a synthesized stack", () => {
  const [greeting, sum, cwd, directive, escaped, dollars] = HOSTILE;
  const yaml = edit(
    edit(
      edit(
        DEV_YAML,
        "    backends: [data-processing]\n",
        `    backends: [data-processing]\n    environment: { GREETING: "${greeting}", SUM: "${sum}", CWD: "${cwd}", IF: "${directive}", ESC: "${escaped}", DOLLARS: "${dollars}" }\n    healthCheckCommand: [CMD-SHELL, "test -n '${sum}'"]\n`,
      ),
      "  data-processing:\n    port: 3000\n    healthCheckPath: /health-check\n",
      `  data-processing:\n    port: 3000\n    healthCheckPath: "/health-check?v=\${1 + 1}"\n`,
    ),
    "      prefix: /\n",
    '      prefix: "/%{ if true }x%{ endif }"\n',
  );
  const stack = synthStack(resolve(yaml));
  const containers = (service: string) =>
    JSON.parse(
      one(stack, "aws_ecs_task_definition", (t) => t.family === `dev-smn-app-mesh-ecs-${service}`).container_definitions,
    ) as Json[];

  it("deploys environment values exactly as written, inside container_definitions", () => {
    const [app] = containers("data-ingestion");
    const deployed = Object.fromEntries(app!.environment.map((e: Json) => [e.name, render(e.value)]));
    expect(deployed).toMatchObject({ GREETING: greeting, SUM: sum, CWD: cwd, IF: directive, ESC: escaped, DOLLARS: dollars });
  });

  it("deploys a health check command and path exactly as written", () => {
    const [app] = containers("data-ingestion");
    expect(app!.healthCheck.command.map(render)).toEqual(["CMD-SHELL", `test -n '${sum}'`]);
    const node = one(stack, "aws_appmesh_virtual_node", (n) => n.name === "dev-smn-app-mesh-ecs-data-processing-node");
    expect(render(node.spec.listener[0].health_check.path)).toBe("/health-check?v=${1 + 1}");
    const [processingApp] = containers("data-processing");
    expect(render(processingApp!.healthCheck.command[3])).toContain('path:"/health-check?v=${1 + 1}"');
  });

  it("deploys a route prefix exactly as written", () => {
    const route = one(stack, "aws_appmesh_route", (r) => r.name === "dev-smn-app-mesh-ecs-data-processing-route");
    expect(render(route.spec.http_route.match.prefix)).toBe("/%{ if true }x%{ endif }");
  });

  it("leaves nothing live but meshform's own references, in attributes and inside JSON strings", () => {
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === "string") strings.push(v);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(stack);
    const reference = /^\$\{(data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+\.[a-z0-9_]+\}$/;
    const unexpected = strings.flatMap(live).filter((e) => !reference.test(e));
    expect(unexpected).toEqual([]);
    expect(strings.flatMap(live).length).toBeGreaterThan(10); // the references are still there
  });
});

describe("cdktf's own token markers in user text", () => {
  it("are refused at their line and column, in values and keys, since cdktf would resolve them", () => {
    const yaml = edit(
      DEV_YAML,
      "    backends: [data-processing]\n",
      '    backends: [data-processing]\n    environment: { A: "x ${TfToken[TOKEN.1]}", B: "#{TfToken[TOKEN.2]}" }\n',
    );
    expect(validate(yaml)).toEqual([
      'test/fixtures/envs/dev.yaml:25:23 services.data-ingestion.environment.A: contains "${TfToken[", the marker cdktf uses for its own references; it cannot be written literally',
      'test/fixtures/envs/dev.yaml:25:51 services.data-ingestion.environment.B: contains "#{TfToken[", the marker cdktf uses for its own references; it cannot be written literally',
    ]);
    const key = edit(DEV_YAML, "logRetentionDays: 7\n", 'logRetentionDays: 7\ntags: { "&{TfToken[TOKEN.3]}": x }\n');
    expect(validate(key)).toContainEqual(
      'test/fixtures/envs/dev.yaml:16:9 tags.&{TfToken[TOKEN.3]}: contains "&{TfToken[", the marker cdktf uses for its own references; it cannot be written literally',
    );
  });
});
