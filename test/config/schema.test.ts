/** One test per schema rule: a bad edit of the dev fixture (test/fixtures/envs/dev.yaml) and the exact message it earns. */
import { describe, expect, it } from "vitest";
import { DEV_YAML, edit, validate } from "../helpers";

const bad = (from: string, to: string) => validate(edit(DEV_YAML, from, to));

describe("the dev fixture", () => {
  it("is valid with no warnings", () => {
    expect(validate(DEV_YAML)).toEqual([]);
  });
});

describe("schema rules", () => {
  it("rejects unknown keys and suggests the closest one", () => {
    expect(
      bad(
        "    cpu: 512\n    memory: 1024\n    desiredCount: 1\n    timeout: 70s\n    backends",
        "    cpus: 512\n    memory: 1024\n    desiredCount: 1\n    timeout: 70s\n    backends",
      ),
    ).toEqual([
      "test/fixtures/envs/dev.yaml:17:3 services.data-ingestion.cpu: is required; must be a Fargate CPU size: one of 256, 512, 1024, 2048, 4096, 8192, 16384",
      'test/fixtures/envs/dev.yaml:20:5 services.data-ingestion.cpus: unknown key "cpus"; did you mean "cpu"? allowed: port, protocol, healthCheckPath, healthCheck, healthCheckCommand, cpu, memory, desiredCount, timeout, backends, externalBackends, route, routes, versions, imageTag, environment, image, command, entryPoint, user, readonlyRootFilesystem, writablePaths, stopTimeout, architecture, secrets, secretsKmsKeys, permissions, sidecars, logging, logRetentionDays, deployment, outlierDetection, connectionPool, tls, clientCertificate, ingress, deadLetterQueue, scaling, alarms, acknowledge',
    ]);
  });

  it("rejects unknown top-level keys without a suggestion when nothing is close", () => {
    expect(bad("logRetentionDays: 7", "logRetentionDays: 7\nfoo: bar")).toEqual([
      'test/fixtures/envs/dev.yaml:16:1 foo: unknown key "foo"; allowed: environment, project, region, internalDomain, network, state, mesh, cluster, tracing, logRetentionDays, alarmTopicArn, dashboard, tags, externalServices, services, imageTag, ingress, acknowledge',
    ]);
  });

  it("requires Fargate CPU sizes", () => {
    expect(
      bad(
        "    cpu: 512\n    memory: 1024\n    desiredCount: 1\n    timeout: 70s\n    backends",
        "    cpu: 300\n    memory: 1024\n    desiredCount: 1\n    timeout: 70s\n    backends",
      ),
    ).toEqual([
      "test/fixtures/envs/dev.yaml:20:10 services.data-ingestion.cpu: must be a Fargate CPU size: one of 256, 512, 1024, 2048, 4096, 8192, 16384, got 300",
    ]);
  });

  it("names the type it expected", () => {
    expect(bad("    desiredCount: 1\n    timeout: 70s\n    backends", '    desiredCount: "one"\n    timeout: 70s\n    backends')).toEqual([
      'test/fixtures/envs/dev.yaml:22:19 services.data-ingestion.desiredCount: must be a number, got "one"',
    ]);
  });

  it("keeps ports in range and off Envoy's ports", () => {
    expect(
      bad(
        "    port: 3000\n    healthCheckPath: /health-check\n    cpu: 512\n    memory: 1024\n    desiredCount: 1\n    timeout: 70s\n    backends",
        "    port: 70000\n    healthCheckPath: /health-check\n    cpu: 512\n    memory: 1024\n    desiredCount: 1\n    timeout: 70s\n    backends",
      ),
    ).toEqual(["test/fixtures/envs/dev.yaml:18:11 services.data-ingestion.port: must be a whole number from 1 to 65535, got 70000"]);
    expect(bad("  data-processing:\n    port: 3000", "  data-processing:\n    port: 15001")).toEqual([
      "test/fixtures/envs/dev.yaml:27:11 services.data-processing.port: must not be 9901, 15000, 15001 (the Envoy sidecar's admin, ingress and egress ports), got 15001",
    ]);
  });

  it("checks App Mesh enums: egress filter and retry events", () => {
    expect(bad("egress: DROP_ALL", "egress: DENY")).toEqual([
      'test/fixtures/envs/dev.yaml:12:11 mesh.egress: must be one of "DROP_ALL", "ALLOW_ALL", got "DENY"',
    ]);
    expect(bad("httpRetryEvents: [gateway-error]", "httpRetryEvents: [gateway-eror]")).toEqual([
      'test/fixtures/envs/dev.yaml:40:27 services.data-processing.route.retryPolicy.httpRetryEvents[0]: must be one of "server-error", "gateway-error", "client-error", "stream-error", got "gateway-eror"',
    ]);
  });

  it("needs at least one retry event", () => {
    expect(
      bad("        httpRetryEvents: [gateway-error]\n        tcpRetryEvents: [connection-error]", "        httpRetryEvents: []"),
    ).toEqual([
      "test/fixtures/envs/dev.yaml:37:7 services.data-processing.route.retryPolicy: needs at least one event in httpRetryEvents (server-error, gateway-error, client-error, stream-error), tcpRetryEvents (connection-error) or grpcRetryEvents (cancelled, deadline-exceeded, internal, resource-exhausted, unavailable)",
    ]);
  });

  it("reads durations and bounds them", () => {
    expect(bad("perRetryTimeout: 5s", "perRetryTimeout: 5 seconds")).toEqual([
      'test/fixtures/envs/dev.yaml:39:26 services.data-processing.route.retryPolicy.perRetryTimeout: must be a duration such as "250ms", "5s" or "2m", got "5 seconds"',
    ]);
    expect(bad("    timeout: 70s\n    backends", "    timeout: 70s\n    healthCheck: { interval: 1s }\n    backends")).toEqual([
      'test/fixtures/envs/dev.yaml:24:30 services.data-ingestion.healthCheck.interval: must be between 5s and 300s, got "1s"',
    ]);
  });

  it("bounds App Mesh health check thresholds and route priority", () => {
    expect(bad("    timeout: 70s\n    backends", "    timeout: 70s\n    healthCheck: { healthyThreshold: 11 }\n    backends")).toEqual([
      "test/fixtures/envs/dev.yaml:24:38 services.data-ingestion.healthCheck.healthyThreshold: must be at most 10, got 11",
    ]);
    expect(bad("      prefix: /", "      prefix: /\n      priority: 1001")).toEqual([
      "test/fixtures/envs/dev.yaml:35:17 services.data-processing.route.priority: must be at most 1000, got 1001",
    ]);
  });

  it("requires service names that are DNS labels", () => {
    expect(bad("  data-processing:\n", "  Data_Processing:\n")).toEqual(
      expect.arrayContaining([
        "test/fixtures/envs/dev.yaml:26:3 services.Data_Processing: a service name must be lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen, at most 63 characters",
      ]),
    );
  });

  it("refuses doubled hyphens, which ECR repository names cannot hold", () => {
    expect(bad("project: smn-app-mesh-ecs", "project: smn--app")).toEqual([
      'test/fixtures/envs/dev.yaml:4:10 project: a project name must be lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen, at most 63 characters, got "smn--app"',
    ]);
  });

  it("accepts only CloudWatch Logs retention values", () => {
    expect(bad("logRetentionDays: 7", "logRetentionDays: 10")).toEqual([
      "test/fixtures/envs/dev.yaml:15:19 logRetentionDays: must be a CloudWatch Logs retention: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got 10",
    ]);
  });

  it("checks AWS identifiers", () => {
    expect(bad("vpcId: vpc-0a1b2c3d4e5f60718", "vpcId: vpc-123")).toEqual([
      'test/fixtures/envs/dev.yaml:8:10 network.vpcId: must be a VPC id such as "vpc-0123456789abcdef0", got "vpc-123"',
    ]);
    expect(bad("region: eu-west-1", "region: europe")).toEqual([
      'test/fixtures/envs/dev.yaml:5:9 region: must be an AWS region such as "eu-west-1", got "europe"',
    ]);
    expect(bad("  subnetIds: [subnet-0a1b2c3d4e5f60701, subnet-0a1b2c3d4e5f60702]", "  subnetIds: []")).toEqual([
      "test/fixtures/envs/dev.yaml:9:3 network.subnetIds: must list at least 1 item, got 0",
    ]);
  });

  it("reports a missing required field at its parent", () => {
    expect(bad("project: smn-app-mesh-ecs\n", "")).toEqual(["test/fixtures/envs/dev.yaml:3:1 project: is required (a string)"]);
  });

  it("reports every problem of a file at once", () => {
    const text = edit(edit(DEV_YAML, "egress: DROP_ALL", "egress: DENY"), "logRetentionDays: 7", "logRetentionDays: 10");
    expect(validate(text)).toHaveLength(2);
  });
});
