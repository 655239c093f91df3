/** Release awareness: the deployment a change starts, its steps and how long apply waits; images that cannot exist yet. */
import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../src/config/load";
import { diffStacks } from "../../src/review/diff";
import { locate } from "../../src/review/findings";
import { releaseFindings } from "../../src/review/releases";
import { DEV_YAML, edit, envFile, envYaml, resolve } from "../helpers";
import { stackOf } from "./review-helpers";

const STAGING_FILE = envFile("staging");
const STAGING_YAML = envYaml("staging");

function findings(before: string, after: string, file = STAGING_FILE, patch?: (stack: Record<string, any>) => void) {
  const env = resolve(after, file);
  const [b, a] = [stackOf(before, file), stackOf(after, file)];
  patch?.(a);
  return locate(releaseFindings(b, a, diffStacks(b, a), env), parseEnvironment(file, after)).map(
    (f) => `${f.rule.id} ${f.rule.level}${f.at?.line ? ` ${f.at.line}:${f.at.col} ${f.at.path}` : ""}: ${f.message}`,
  );
}

/** Line and column of the value of `deployment.strategy` under `service` in `yaml`: the fixture's layout is its own. */
function strategyAt(service: string, yaml = STAGING_YAML): string {
  const lines = yaml.split("\n");
  const start = lines.indexOf(`  ${service}:`);
  const i = lines.findIndex((l, n) => n > start && l.includes("strategy: "));
  return `${i + 1}:${lines[i]!.indexOf("strategy: ") + "strategy: ".length + 1}`;
}

/** A new image tag for one of staging's services: a new task definition. */
const newImage = (service: "data-ingestion" | "data-processing", yaml = STAGING_YAML) =>
  edit(yaml, `  ${service}:\n    port: 3000\n`, `  ${service}:\n    port: 3000\n    imageTag: v2\n`);

describe("release findings", () => {
  it("say a new task definition starts a canary deployment: its steps, bake times, test traffic, alarms, and apply's wait", () => {
    expect(findings(STAGING_YAML, newImage("data-processing"))).toEqual([
      `MF914 info ${strategyAt("data-processing", newImage("data-processing"))} services.data-processing.deployment.strategy: staging-smn-app-mesh-ecs-data-processing: a new task definition starts a canary deployment: 10% of the traffic to the new revision for 5 min, then all of it; the old revision stays 10 min after (bake time) for an instant rollback; requests with x-beta-user: true reach the new revision first; rolled back when staging-data-processing-5xx goes off; terraform apply waits for it up to 35m (the ECS service's timeouts.update)`,
    ]);
  });

  it("say nothing of a deployment where the ECS service is replaced, as a protocol change replaces it", () => {
    const http2 = edit(STAGING_YAML, "  data-processing:\n    port: 3000\n", "  data-processing:\n    port: 3000\n    protocol: http2\n");
    expect(findings(STAGING_YAML, http2)).toEqual([]);
  });

  it("describe blue-green and linear deployments, and the provider's 20 minutes where the stack sets no timeout", () => {
    expect(
      findings(STAGING_YAML, newImage("data-ingestion"), STAGING_FILE, (a) => {
        for (const s of Object.values(a.resource.aws_ecs_service) as Record<string, unknown>[]) delete s.timeouts;
      }),
    ).toEqual([
      `MF914 info ${strategyAt("data-ingestion", newImage("data-ingestion"))} services.data-ingestion.deployment.strategy: staging-smn-app-mesh-ecs-data-ingestion: a new task definition starts a blue-green deployment: all the traffic to the new revision at once; the old revision stays 5 min after (bake time) for an instant rollback; terraform apply waits for it up to 20m (the AWS provider's default)`,
    ]);
    const linear = edit(
      STAGING_YAML,
      "strategy: canary\n      canary: { percent: 10, bakeTime: 5m }",
      "strategy: linear\n      linear: { stepPercent: 25, stepBakeTime: 3m }",
    );
    expect(findings(linear, newImage("data-processing", linear))[0]).toMatch(
      /: a new task definition starts a linear deployment: 25% more of the traffic every 3 min \(4 steps\); the old revision stays 10 min after/,
    );
  });

  it("say apply does not wait when waitForSteadyState is false", () => {
    const noWait = edit(
      STAGING_YAML,
      "deployment: { strategy: blue-green, bakeTime: 5m }",
      "deployment: { strategy: blue-green, bakeTime: 5m, waitForSteadyState: false }",
    );
    expect(findings(noWait, newImage("data-ingestion", noWait))[0]).toMatch(
      /; terraform apply does not wait for it \(waitForSteadyState: false\)$/,
    );
  });

  it("stay silent for a rolling deployment and for a change that makes no new task definition", () => {
    expect(
      findings(
        DEV_YAML,
        edit(DEV_YAML, "    port: 3000\n    healthCheckPath", "    port: 3000\n    imageTag: v2\n    healthCheckPath"),
        envFile("dev"),
      ),
    ).toEqual([]);
    expect(findings(STAGING_YAML, edit(STAGING_YAML, "logRetentionDays: 30", "logRetentionDays: 60"))).toEqual([]);
  });

  it("say a new service's image cannot exist yet when its ECR repository is new in the same change", () => {
    const billing = "  billing:\n    port: 3000\n    cpu: 512\n    memory: 1024\n";
    const after = edit(STAGING_YAML, "services:\n", `services:\n${billing}`);
    expect(findings(STAGING_YAML, after)).toEqual([
      "MF915 high 20:3 services.billing: staging-smn-app-mesh-ecs-billing is new and its image (tag v1) is in staging-smn-app-mesh-ecs/billing, an ECR repository this change creates: no image can be there yet, so its tasks cannot start until one is pushed; terraform apply waits for them up to 20m (the AWS provider's default), then fails",
    ]);
    // Without an image tag (none in the file at all) it starts at 0 tasks and awaits its image: nothing to fail.
    const awaiting = edit(edit(STAGING_YAML, "services:\n", `services:\n${billing}`), "imageTag: v1\n", "");
    const before = edit(STAGING_YAML, "imageTag: v1\n", "");
    expect(findings(before, awaiting).filter((f) => f.startsWith("MF915"))).toEqual([]);
  });
});
