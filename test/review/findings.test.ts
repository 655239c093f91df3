/**
 * The review's findings (MF9xx): one example each, raised at its rule's level (as test/config/rules.test.ts has
 * one per config rule); located at the YAML line that caused it; acknowledged in the file; failing the check at
 * `--fail-on`; shown to GitHub as workflow commands.
 */
import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../src/config/load";
import { costFinding, environmentCost } from "../../src/review/cost";
import { diffStacks, type Json } from "../../src/review/diff";
import { annotations, FINDINGS, type Finding, failing, locate } from "../../src/review/findings";
import { emptyStatePlan, plannedFromNothing, planTime, stalePlan } from "../../src/review/plan";
import { releaseFindings } from "../../src/review/releases";
import { riskFindings } from "../../src/review/risk";
import { ruleCatalogue } from "../../src/rule-catalogue";
import { DEV_FILE, DEV_YAML, edit, envFile, envYaml, resolve, ruleIds } from "../helpers";
import { TRAFFIC_FILE, trafficYaml } from "../traffic-yaml";
import { stackOf } from "./review-helpers";

/** The risk and release findings of a change of `file`'s text, the after-change stack patched by `patch`. */
function change(before: string, after: string, file = DEV_FILE, patch?: (stack: Json) => void): Finding[] {
  const env = resolve(after, file);
  const [b, a] = [stackOf(before, file), stackOf(after, file)];
  patch?.(a);
  const changes = diffStacks(b, a);
  return locate([...riskFindings(b, a, changes, env), ...releaseFindings(b, a, changes, env)], parseEnvironment(file, after));
}

const STAGING = envFile("staging");
const STAGING_YAML = envYaml("staging");
const PROD_YAML = envYaml("prod");
const dp = (yaml: string, from: string, to: string) => edit(yaml, from, to);
const each = (stack: Json, type: string, f: (r: Json) => void) => {
  for (const r of Object.values(stack.resource[type] ?? {}) as Json[]) f(r);
};

/** One change per finding that raises it. */
const EXAMPLES: Record<string, () => Finding[]> = {
  MF901: () => change(DEV_YAML, dp(DEV_YAML, "internalDomain: smn-app-mesh-ecs.internal", "internalDomain: telemetry.internal")),
  MF902: () => change(DEV_YAML, dp(DEV_YAML, "egress: DROP_ALL", "egress: ALLOW_ALL")),
  MF903: () => change(DEV_YAML, dp(DEV_YAML, "maxRetries: 12", "maxRetries: 3")),
  MF904: () => change(DEV_YAML, DEV_YAML.replace(/ {6}retryPolicy:\n( {8}.*\n)+/, "")),
  MF905: () => change(DEV_YAML, dp(DEV_YAML, "maxRetries: 12", "maxRetries: 20")),
  // The schema requires perRetryTimeout, so only a stack made otherwise (a base from elsewhere) lacks it.
  MF906: () =>
    change(DEV_YAML, dp(DEV_YAML, "maxRetries: 12", "maxRetries: 11"), DEV_FILE, (a) =>
      each(a, "aws_appmesh_route", (r) => delete r.spec.http_route.retry_policy?.per_retry_timeout),
    ),
  MF907: () => change(DEV_YAML, dp(DEV_YAML, "    desiredCount: 1\n    timeout: 70s", "    desiredCount: 0\n    timeout: 70s")),
  // meshform never gives tasks a public IP; a stack that does is flagged.
  MF908: () =>
    change(DEV_YAML, DEV_YAML, DEV_FILE, (a) => each(a, "aws_ecs_service", (s) => (s.network_configuration.assign_public_ip = true))),
  MF909: () => change(STAGING_YAML, dp(STAGING_YAML, "allowedCidrs: [10.0.0.0/8]", "allowedCidrs: [10.0.0.0/7]"), STAGING),
  MF910: () =>
    change(
      STAGING_YAML,
      dp(
        dp(STAGING_YAML, "allowedCidrs: [10.0.0.0/8]", "allowedCidrs: [10.0.0.0/8]\n      scheme: internet-facing"),
        "subnetIds: [subnet-0b1c2d3e4f5a60701, subnet-0b1c2d3e4f5a60702]",
        "subnetIds: [subnet-0b1c2d3e4f5a60701, subnet-0b1c2d3e4f5a60702]\n  publicSubnetIds: [subnet-0b1c2d3e4f5a60709]",
      ),
      STAGING,
    ),
  MF911: () =>
    change(
      DEV_YAML,
      dp(DEV_YAML, "    desiredCount: 1\n    timeout: 65s", "    desiredCount: 1\n    deadLetterQueue: true\n    timeout: 65s"),
    ),
  MF912: () =>
    change(
      DEV_YAML,
      dp(
        DEV_YAML,
        "  provider: appmesh\n  egress: DROP_ALL\n  envoy:\n    image: 840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod\n",
        "  provider: service-connect\n",
      ),
    ),
  MF913: () =>
    change(DEV_YAML, dp(DEV_YAML, "    timeout: 65s\n    route:", "    timeout: 65s\n    backends: [data-ingestion]\n    route:")),
  MF914: () =>
    change(
      STAGING_YAML,
      dp(STAGING_YAML, "  data-processing:\n    port: 3000\n", "  data-processing:\n    port: 3000\n    imageTag: v2\n"),
      STAGING,
    ),
  MF915: () =>
    change(
      PROD_YAML,
      dp(PROD_YAML, "services:\n", "services:\n  billing:\n    port: 3000\n    cpu: 1024\n    memory: 2048\n"),
      envFile("prod"),
    ),
  MF916: () => {
    const more = dp(DEV_YAML, "    desiredCount: 1\n    timeout: 65s", "    desiredCount: 2\n    timeout: 65s");
    return [costFinding(environmentCost(resolve(more)), environmentCost(resolve(DEV_YAML)), { percent: 20 })!];
  },
  MF917: () => {
    const base = stackOf(DEV_YAML, DEV_FILE);
    const planned = Object.entries(base.resource as Json).flatMap(([type, rs]) =>
      Object.keys(rs as Json).map((name) => ({ address: `${type}.${name}`, type, name, action: "create" as const, attributes: [] })),
    );
    return [emptyStatePlan("dev", plannedFromNothing(planned, base)!)];
  },
  MF918: () => [
    stalePlan("plan-dev.json", planTime({ timestamp: "2026-11-20T10:00:00Z" }), {
      label: "origin/main",
      committedAt: new Date("2026-11-21T09:00:00Z"),
    })!,
  ],
  MF919: () => change(trafficYaml(), trafficYaml({ api: '    user: "0"' }), TRAFFIC_FILE),
  MF920: () => change(trafficYaml(), trafficYaml({ api: "    readonlyRootFilesystem: false" }), TRAFFIC_FILE),
  MF921: () => change(trafficYaml(), trafficYaml({ api: "    writablePaths: [/tmp, /data]" }), TRAFFIC_FILE),
  MF922: () => change(trafficYaml(), trafficYaml({ api: "    environment: { SMTP_PASSWORD: hunter2 }" }), TRAFFIC_FILE),
  MF923: () => change(trafficYaml(), trafficYaml({ worker: "    protocol: grpc" }), TRAFFIC_FILE),
  MF924: () => change(trafficYaml(), trafficYaml({ worker: "    backends: [api]" }), TRAFFIC_FILE),
};

describe("review findings", { timeout: 30_000 }, () => {
  const findings = ruleCatalogue().filter((r) => r.id.startsWith("MF9"));

  it("are in the rule catalogue, beside the config's rules, one each", () => {
    expect(findings.map((r) => r.id)).toEqual(
      Object.values(FINDINGS)
        .map((r) => r.id)
        .sort(),
    );
    expect(Object.keys(EXAMPLES).sort()).toEqual(findings.map((r) => r.id));
  });

  it.each(Object.entries(EXAMPLES))("%s is raised, at its level, by its example", (id, example) => {
    const rule = findings.find((r) => r.id === id)!;
    expect(example().map((f) => `${f.rule.id} ${f.rule.level}`)).toContain(`${id} ${rule.level}`);
  });

  it("are located at the YAML field that caused them, where there is one", () => {
    const located = (id: string) => EXAMPLES[id]!().find((f) => f.rule.id === id)!.at;
    expect(located("MF902")).toEqual({ file: DEV_FILE, line: 12, col: 11, path: "mesh.egress" });
    expect(located("MF903")).toEqual({ file: DEV_FILE, line: 38, col: 21, path: "services.data-processing.route.retryPolicy.maxRetries" });
    expect(located("MF907")).toEqual({ file: DEV_FILE, line: 22, col: 19, path: "services.data-ingestion.desiredCount" });
    expect(located("MF914")).toMatchObject({ file: STAGING, path: "services.data-processing.deployment.strategy" });
    expect(located("MF915")).toMatchObject({ file: envFile("prod"), line: 24, col: 3, path: "services.billing" });
    expect(located("MF919")).toEqual({ file: TRAFFIC_FILE, line: 14, col: 11, path: "services.api.user" });
    expect(located("MF923")).toEqual({ file: TRAFFIC_FILE, line: 18, col: 15, path: "services.worker.protocol" });
    expect(located("MF922")).toEqual({ file: TRAFFIC_FILE, line: 14, col: 35, path: "services.api.environment.SMTP_PASSWORD" });
  });

  it("stay silent where nothing changed", () => {
    expect(change(DEV_YAML, DEV_YAML)).toEqual([]);
    expect(
      stalePlan("p.json", new Date("2026-11-22T00:00:00Z"), { label: "main", committedAt: new Date("2026-11-21T00:00:00Z") }),
    ).toBeUndefined();
    expect(stalePlan("p.json", undefined, { label: "main", committedAt: new Date("2026-11-21T00:00:00Z") })).toBeUndefined();
    expect(stalePlan("p.json", new Date("2026-11-20T00:00:00Z"), { label: "dir" })).toBeUndefined();
  });
});

describe("acknowledging a finding in the YAML", { timeout: 30_000 }, () => {
  const egress = (ack: string) =>
    edit(DEV_YAML, "egress: DROP_ALL", `egress: ALLOW_ALL${ack}`).replace("logRetentionDays: 7", "logRetentionDays: 7");

  it("marks it with the reason, for the whole file or under the service its field belongs to, and it no longer fails", () => {
    const top = edit(
      egress(""),
      "logRetentionDays: 7\n",
      'logRetentionDays: 7\nacknowledge: { MF902: "the scraper calls the vendor API; reviewed in #42" }\n',
    );
    const [f] = change(DEV_YAML, top);
    expect(f).toMatchObject({ rule: FINDINGS.egressOpened, acknowledged: "the scraper calls the vendor API; reviewed in #42" });
    expect(failing([f!], "high")).toEqual([]);
    expect(failing([f!], "info")).toEqual([]);

    const lowered = edit(DEV_YAML, "maxRetries: 12", "maxRetries: 3");
    const underService = edit(
      lowered,
      "  data-processing:\n",
      '  data-processing:\n    acknowledge: { MF903: "the new client retries itself" }\n',
    );
    const underOther = edit(lowered, "  data-ingestion:\n", '  data-ingestion:\n    acknowledge: { MF903: "not this one" }\n');
    expect(change(DEV_YAML, underService)[0]).toMatchObject({
      rule: FINDINGS.retriesLowered,
      acknowledged: "the new client retries itself",
    });
    expect(change(DEV_YAML, underOther)[0]!.acknowledged).toBeUndefined();
  });

  it("is no warning of validate's, which leaves MF9xx acknowledgements to the review (other unused ones still warn)", () => {
    const text = edit(
      DEV_YAML,
      "logRetentionDays: 7\n",
      'logRetentionDays: 7\nacknowledge: { MF902: "reviewed", MF305: "nothing raises it" }\n',
    );
    expect(ruleIds(text)).toEqual(["MF502 warning", "MF006 warning"]);
  });
});

describe("failing at a level", () => {
  const f = (level: keyof typeof FINDINGS, acknowledged?: string): Finding => ({
    rule: FINDINGS[level],
    message: "m",
    ...(acknowledged && { acknowledged }),
  });

  it("counts the unacknowledged findings at that level and above", () => {
    const all = [f("deployment"), f("backendAdded"), f("retriesLowered"), f("egressOpened"), f("scaledToZero", "why")];
    expect(failing(all, "high").map((x) => x.rule.id)).toEqual(["MF902"]);
    expect(failing(all, "medium").map((x) => x.rule.id)).toEqual(["MF903", "MF902"]);
    expect(failing(all, "info")).toHaveLength(4);
  });
});

describe("GitHub annotations", () => {
  it("are workflow commands at the YAML line: errors for high, warnings for medium, notices for the rest and the acknowledged", () => {
    const at = { file: "config/dev.yaml", line: 12, col: 11, path: "mesh.egress" };
    expect(
      annotations([
        { env: "dev", finding: { rule: FINDINGS.egressOpened, message: "egress opened, 100%\nreally", at } },
        { env: "dev", finding: { rule: FINDINGS.retriesLowered, message: "fewer", at: { file: "config/dev.yaml" } } },
        { env: "dev", finding: { rule: FINDINGS.scaledToZero, message: "zero", acknowledged: "batch job" } },
        { finding: { rule: FINDINGS.planStale, message: "old plan" } },
      ]),
    ).toEqual([
      "::error file=config/dev.yaml,line=12,col=11,title=MF902 high%3A egress is opened to any address::dev: mesh.egress: egress opened, 100%25%0Areally",
      "::warning file=config/dev.yaml,title=MF903 medium%3A a retry policy allows fewer retries::dev: fewer",
      "::notice title=MF907 high%2C acknowledged%3A a service is scaled to zero tasks::dev: zero (acknowledged: batch job)",
      "::warning title=MF918 medium%3A the plan is older than the base commit::old plan",
    ]);
  });
});
