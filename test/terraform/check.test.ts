/**
 * The stacks through real Terraform and the AWS provider, offline (npm run check:terraform). Runs where
 * terraform and a provider mirror exist; elsewhere the suite says it skipped and why. Results are reused
 * while the stacks, Terraform and the provider stay the same, so this costs its ~30 s once per change.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/config/diagnostics";
import { loadEnvironments } from "../../src/environments";
import { checkTerraform } from "../../src/terraform/check";
import { findMirror } from "../../src/terraform/mirror";
import { DEV_YAML, ENVS, edit, resolve as resolveYaml } from "../helpers";
import { synthStack } from "../stack-helpers";

const mirror = findMirror();
const terraform = (() => {
  try {
    return execFileSync("terraform", ["version"], { encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" } }).split(
      "\n",
    )[0];
  } catch {
    return undefined;
  }
})();
const skipped = "reason" in mirror ? mirror.reason : terraform ? undefined : "terraform is not on the PATH";
const title = `real Terraform plans every stack${skipped ? ` (SKIPPED: ${skipped})` : ""}`;

const CONFIGS = "test/fixtures/configs";

/** A stack whose user text is Terraform template syntax: the plan must show it literally. */
const HOSTILE_PATH = "/health-check?v=${1 + 1}&d=%{ if true }x%{ endif }";

describe.skipIf(skipped !== undefined)(title, { timeout: 180_000 }, () => {
  it("plans the fixture environments (App Mesh's traffic, mutual TLS and an operated one among them), whatever config/ holds, and a hostile one with no problem, and deploys user text as written", async () => {
    if ("reason" in mirror) return;
    const stacks: Record<string, any> = {};
    for (const env of loadEnvironments(ENVS).environments) stacks[env.name] = synthStack(env);
    // config/ is its users': each of its environments is planned too, as config-<name>, unless its stack is
    // byte for byte a fixture's (planned already). Nothing about them is pinned: they must plan cleanly.
    const users = loadEnvironments("config");
    expect(users.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    for (const env of users.environments) {
      const stack = synthStack(env);
      if (JSON.stringify(stack) !== JSON.stringify(stacks[env.name])) stacks[`config-${env.name}`] = stack;
    }
    const hostile = edit(
      edit(DEV_YAML, "environment: dev", "environment: hostile"),
      "  data-processing:\n    port: 3000\n    healthCheckPath: /health-check\n",
      `  data-processing:\n    port: 3000\n    healthCheckPath: "${HOSTILE_PATH}"\n`,
    );
    stacks.hostile = synthStack(resolveYaml(hostile, "hostile.yaml"));
    // What the fixtures of test/fixtures/envs do not show: App Mesh's traffic management (versions, routes, outlier
    // detection, TLS, a gateway), certificates from files and SDS, mutual TLS, the mesh's IP preference, and of
    // scaling and alarms: two callers' latency by metric math, schedules, a linear release.
    for (const env of loadEnvironments(CONFIGS).environments) stacks[env.name] = synthStack(env);
    const planJson = join(resolve("node_modules/.cache/meshform"), "terraform-check-test.plan.json");
    const result = await checkTerraform(stacks, {
      mirror,
      workdir: resolve("node_modules/.cache/meshform/terraform-check-test"),
      planJson,
    });
    const resourceCount = (stack: any) =>
      Object.values(stack.resource as Record<string, object>).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(result.stacks.map((s) => s.name).sort()).toEqual(Object.keys(stacks).sort());
    for (const s of result.stacks) {
      expect({ stack: s.name, problems: s.problems }).toEqual({ stack: s.name, problems: [] });
      expect(s.plan).toEqual({ add: resourceCount(stacks[s.name]), change: 0, destroy: 0 });
    }
    const plan = JSON.parse(readFileSync(planJson, "utf8"));
    const node = plan.resource_changes.find((c: any) =>
      c.address.startsWith("module.hostile.aws_appmesh_virtual_node.data-processing-node"),
    );
    expect(node.change.after.spec[0].listener[0].health_check[0].path).toBe(HOSTILE_PATH);
  });

  it("reports a stack the provider rejects, against that stack only", async () => {
    if ("reason" in mirror) return;
    const good = synthStack(resolveYaml(DEV_YAML));
    const bad = structuredClone(good);
    const [name] = Object.keys(bad.resource.aws_ecs_service);
    bad.resource.aws_ecs_service[name].launch_type = "SPACESHIP";
    const result = await checkTerraform(
      { good, bad },
      { mirror, workdir: resolve("node_modules/.cache/meshform/terraform-check-test-bad") },
    );
    const byName = Object.fromEntries(result.stacks.map((s) => [s.name, s]));
    expect(byName.good!.problems).toEqual([]);
    expect(byName.bad!.ok).toBe(false);
    expect(byName.bad!.problems).toEqual([
      expect.stringMatching(
        /^stacks\/bad\/main\.tf\.json:\d+: expected launch_type to be one of \["EC2" "FARGATE" "EXTERNAL"\], got SPACESHIP$/,
      ),
    ]);
  });
});
