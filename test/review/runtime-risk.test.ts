/**
 * The runtime's secure defaults given up by a change (MF919-MF922): each from a change to a small Service Connect
 * environment (trafficYaml, whose api's extra lines start at line 14), synthesized before and after.
 */
import { describe, expect, it } from "vitest";
import type { Json } from "../../src/review/diff";
import { DEV_YAML, edit, ruleIds } from "../helpers";
import { TRAFFIC_FILE, trafficYaml } from "../traffic-yaml";
import { riskLines } from "./review-helpers";

const BASE = trafficYaml();
const API_TASK = "aws_ecs_task_definition.api-task_definition_1F612BF6";
const findings = (after: string, before = BASE, patch?: (stack: Json) => void) => riskLines(before, after, TRAFFIC_FILE, patch);
/** A service added before api, its lines from line 8 on. */
const withService = (lines: string) =>
  edit(BASE, "services:\n", `services:\n  billing:\n    port: 3002\n    cpu: 1024\n    memory: 2048\n${lines}`);
const ROOT_RISK = "whatever breaks into them may change anything in the container, and any escape starts as root";

describe("a container that now runs as root (MF919)", () => {
  it.each(["0", "root", "0:0", "root:root"])("is raised for user %s, once for the app and its readiness gate, at user", (user) => {
    expect(findings(trafficYaml({ api: `    user: "${user}"` }))).toEqual([
      `MF919 high 14:11 services.api.user ${API_TASK}: dev-shop-api: containers app, app-ready now run as root (user "${user}"; was "1000"): ${ROOT_RISK}`,
    ]);
  });

  it("is raised when a container loses its user: it runs as the image's, root unless the image names another", () => {
    const noUser = (a: Json) => {
      const task = a.resource.aws_ecs_task_definition["api-task_definition_1F612BF6"];
      const containers = JSON.parse(task.container_definitions) as Json[];
      delete containers.find((c) => c.name === "app")!.user;
      task.container_definitions = JSON.stringify(containers);
    };
    expect(findings(BASE, BASE, noUser)).toEqual([
      `MF919 high 8:3 services.api.user ${API_TASK}: dev-shop-api: container app now runs as root (no user: the image's own, root unless the image names another; was "1000"): whatever breaks into it may change anything in the container, and any escape starts as root`,
    ]);
  });

  it("names a new sidecar that runs as root, a FireLens log router with the reason, at the sidecar", () => {
    const sidecars = trafficYaml({
      api: [
        "    sidecars:",
        "      log-router: { image: public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0, firelens: fluentbit, memory: 64 }",
        '      agent: { image: docker.io/example/agent:1.0, memory: 64, user: "0" }',
      ].join("\n"),
    });
    expect(findings(sidecars)).toEqual([
      `MF919 high 15:7 services.api.sidecars.log-router.user ${API_TASK}: dev-shop-api: container log-router (new) runs as root (user "0", which FireLens requires of its log router): whatever breaks into it may change anything in the container, and any escape starts as root`,
      `MF919 high 16:70 services.api.sidecars.agent.user ${API_TASK}: dev-shop-api: container agent (new) runs as root (user "0"): whatever breaks into it may change anything in the container, and any escape starts as root`,
    ]);
  });

  it("is raised for a new service's app, and not again for a container that ran as root before", () => {
    expect(findings(withService('    user: "0"\n'))).toEqual([
      `MF919 high 12:11 services.billing.user aws_ecs_task_definition.billing-task_definition_89F790D2: dev-shop-billing: containers app (new), app-ready (new) run as root (user "0"): ${ROOT_RISK}`,
    ]);
    expect(findings(trafficYaml({ api: '    user: "0:0"' }), trafficYaml({ api: '    user: "0"' }))).toEqual([]);
  });
});

describe("a root filesystem turned writable (MF920) and new writable paths (MF921)", () => {
  it("raises the app's writable root at readonlyRootFilesystem, and each new writable path at its entry, low", () => {
    expect(findings(trafficYaml({ api: "    readonlyRootFilesystem: false\n    writablePaths: [/tmp, /app/cache]" }))).toEqual([
      `MF920 medium 14:29 services.api.readonlyRootFilesystem ${API_TASK}: dev-shop-api: container app now has a writable root filesystem (was read-only): whatever breaks in can change its programs and leave its own`,
      `MF921 low 15:27 services.api.writablePaths[1] ${API_TASK}: dev-shop-api: container app may now write to /app/cache (a task volume): what breaks into it can keep files there, and the programs in that path, if any, can be changed; the rest of its root stays read-only`,
    ]);
  });

  it("raises a new sidecar's writable root at the sidecar's field", () => {
    const agent = trafficYaml({
      api: "    sidecars:\n      agent: { image: docker.io/example/agent:1.0, memory: 64, readonlyRootFilesystem: false }",
    });
    expect(findings(agent)).toEqual([
      `MF920 medium 15:88 services.api.sidecars.agent.readonlyRootFilesystem ${API_TASK}: dev-shop-api: container agent (new) has a writable root filesystem: whatever breaks in can change its programs and leave its own`,
    ]);
  });

  it("says nothing of a new service's default /tmp, nor of Envoy's writable root, which is meshform's own", () => {
    expect(findings(withService(""))).toEqual([]);
    expect(
      riskLines(DEV_YAML, edit(DEV_YAML, "services:\n", "services:\n  billing:\n    port: 3000\n    cpu: 512\n    memory: 1024\n")),
    ).toEqual([]);
  });
});

describe("a variable whose name looks secret set in plain text (MF922)", () => {
  it("is raised at the variable, for the app and a sidecar, and not for other variables", () => {
    const env = trafficYaml({
      api: [
        "    environment: { SMTP_PASSWORD: hunter2, LOG_LEVEL: debug }",
        "    sidecars:",
        "      agent: { image: docker.io/example/agent:1.0, memory: 64, environment: { AGENT_TOKEN: abc } }",
      ].join("\n"),
    });
    expect(findings(env)).toEqual([
      `MF922 medium 14:35 services.api.environment.SMTP_PASSWORD ${API_TASK}: dev-shop-api: container app gets SMTP_PASSWORD as a plain variable: its value is plain text in the task definition, readable by anyone who may describe it; put it in Secrets Manager or Parameter Store and name it under secrets`,
      `MF922 medium 16:92 services.api.sidecars.agent.environment.AGENT_TOKEN ${API_TASK}: dev-shop-api: container agent gets AGENT_TOKEN as a plain variable: its value is plain text in the task definition, readable by anyone who may describe it; put it in Secrets Manager or Parameter Store and name it under secrets`,
    ]);
  });

  it("judges a name as validate's MF803 does, and only names the YAML sets (not SECRET_STORE_URL, meshform's for a backend)", () => {
    const names = ["DB_PASSWD", "GITHUB_TOKEN", "AWS_ACCESS_KEY", "client_credential", "LOG_LEVEL", "KEYBOARD_LAYOUT", "MONKEY"];
    for (const name of names) {
      const text = trafficYaml({ api: `    environment: { ${name}: x }` });
      const raised = findings(text).some((f) => f.startsWith("MF922"));
      expect([name, raised]).toEqual([name, ruleIds(text, TRAFFIC_FILE).includes("MF803 warning")]);
    }
    const secretStore = edit(withService(""), "backends: [worker]", "backends: [worker, billing]").replace(/billing/g, "secret-store");
    expect(findings(secretStore).filter((f) => f.startsWith("MF922"))).toEqual([]);
  });

  it("is not raised again for a variable that was there", () => {
    const text = trafficYaml({ api: "    environment: { SMTP_PASSWORD: hunter2 }" });
    expect(findings(edit(text, "hunter2", "hunter3"), text)).toEqual([]);
  });
});
