/** One test per cross-field rule, each with the exact message a user sees. */
import { describe, expect, it } from "vitest";
import { DEV_YAML, edit, validate } from "../helpers";
import { trafficYaml } from "../traffic-yaml";

const bad = (from: string, to: string) => validate(edit(DEV_YAML, from, to));
const INGESTION_SIZE = "    cpu: 512\n    memory: 1024\n    desiredCount: 1\n    timeout: 70s\n    backends";

describe("cross-field checks", () => {
  it("requires environment to equal the file name", () => {
    expect(validate(DEV_YAML, "qa.yaml")).toEqual(['qa.yaml:3:14 environment: must equal the file name "qa", got "dev"']);
  });

  it("requires backends to name services of the file", () => {
    expect(bad("backends: [data-processing]", "backends: [data-procesing]")).toEqual([
      'test/fixtures/envs/dev.yaml:24:16 services.data-ingestion.backends[0]: unknown service "data-procesing"; did you mean "data-processing"? services in this file: data-ingestion, data-processing',
    ]);
  });

  it("forbids a service being its own backend, and duplicates", () => {
    expect(bad("backends: [data-processing]", "backends: [data-processing, data-ingestion]")).toEqual([
      'test/fixtures/envs/dev.yaml:24:33 services.data-ingestion.backends[1]: a service cannot be its own backend ("data-ingestion")',
    ]);
    expect(bad("backends: [data-processing]", "backends: [data-processing, data-processing]")).toEqual([
      'test/fixtures/envs/dev.yaml:24:33 services.data-ingestion.backends[1]: "data-processing" is listed twice',
    ]);
  });

  it("requires a Fargate CPU/memory pair (and accepts every real one)", () => {
    expect(bad(INGESTION_SIZE, INGESTION_SIZE.replace("memory: 1024", "memory: 1000"))).toEqual([
      "test/fixtures/envs/dev.yaml:21:13 services.data-ingestion.memory: 1000 MiB is not a Fargate size with cpu 512; allowed: 1024-4096 in steps of 1024",
    ]);
    expect(bad(INGESTION_SIZE, INGESTION_SIZE.replace("cpu: 512", "cpu: 256"))).toEqual([]);
  });

  it("requires the sidecars to fit inside the task", () => {
    const text = edit(
      edit(DEV_YAML, "    image: 840364872350", "    cpu: 480\n    memory: 900\n    image: 840364872350"),
      INGESTION_SIZE,
      INGESTION_SIZE,
    );
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:22:10 services.data-ingestion.cpu: 512 CPU units leave -32 for the app after the Envoy proxy (480) and the tracing collector (ADOT) (64); the app needs at least 64",
      "test/fixtures/envs/dev.yaml:23:13 services.data-ingestion.memory: 1024 MiB leave -4 MiB for the app after the Envoy proxy (900) and the tracing collector (ADOT) (128); the app needs at least 128",
      "test/fixtures/envs/dev.yaml:31:10 services.data-processing.cpu: 512 CPU units leave -32 for the app after the Envoy proxy (480) and the tracing collector (ADOT) (64); the app needs at least 64",
      "test/fixtures/envs/dev.yaml:32:13 services.data-processing.memory: 1024 MiB leave -4 MiB for the app after the Envoy proxy (900) and the tracing collector (ADOT) (128); the app needs at least 128",
    ]);
  });

  it("keeps IAM role names within 64 characters", () => {
    const long = "a-very-long-service-name-that-will-not-fit";
    expect(bad("  data-processing:\n", `  ${long}:\n`).filter((m) => m.includes("IAM"))).toEqual([
      `test/fixtures/envs/dev.yaml:26:3 services.${long}: makes the IAM role name "dev-smn-app-mesh-ecs-${long}-exec" 68 characters long; AWS allows 64: shorten the service, project or environment name`,
    ]);
  });

  it("keeps the security group name clear of AWS's sg- id prefix", () => {
    expect(validate(edit(DEV_YAML, "environment: dev", "environment: sg"), "sg.yaml")).toEqual([
      'sg.yaml:3:14 environment: makes the security group name "sg-smn-app-mesh-ecs-data-ingestion" start with "sg-", which AWS reserves for group ids',
    ]);
  });

  it("refuses a service named after another's ingress gateway, under a provider that runs one, and only there", () => {
    const yaml = (provider: string) =>
      trafficYaml({ provider, api: "    ingress: { allowedCidrs: [10.0.0.0/8] }" })
        .replace("backends: [worker]", "backends: [api-gateway]")
        .replace("  worker:", "  api-gateway:");
    expect(validate(yaml("appmesh"), "dev.yaml")).toEqual([
      "dev.yaml:15:3 services.api-gateway: is the name of the ingress gateway meshform runs for api (its ECS service, log group and security group): rename the service",
    ]);
    expect(validate(yaml("service-connect"), "dev.yaml")).toEqual([]);
  });

  it("warns when the retry policy cannot fit in the route timeout, and the warning alone does not fail", () => {
    expect(bad("      timeout: 65s\n", "")).toEqual([
      "test/fixtures/envs/dev.yaml:36:7 services.data-processing.route.retryPolicy: warning: 12 retries of 5s plus the first try need up to 65s, but route.timeout is 15s, so at most 3 tries fit; raise route.timeout to 65s or lower maxRetries",
    ]);
  });

  it("runs on the valid parts of a file that also has schema errors: every error in one run", () => {
    const text = edit(
      edit(DEV_YAML, "backends: [data-processing]", "backends: [data-procesing]"),
      "  data-processing:\n    port: 3000",
      "  data-processing:\n    port: 0",
    );
    expect(validate(text, "qa.yaml")).toEqual([
      'qa.yaml:3:14 environment: must equal the file name "qa", got "dev"',
      'qa.yaml:24:16 services.data-ingestion.backends[0]: unknown service "data-procesing"; did you mean "data-processing"? services in this file: data-ingestion, data-processing',
      "qa.yaml:27:11 services.data-processing.port: must be a whole number from 1 to 65535, got 0",
    ]);
  });

  it("still knows services whose own block is invalid, so backends naming them are not flagged", () => {
    const text = edit(DEV_YAML, "  data-processing:\n    port: 3000", "  data-processing:\n    port: 0");
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:27:11 services.data-processing.port: must be a whole number from 1 to 65535, got 0",
    ]);
  });
});

describe("every mistake at once", () => {
  it("gives three lines for three mistakes in one service", () => {
    const text = edit(
      DEV_YAML,
      `${INGESTION_SIZE}: [data-processing]`,
      '    cpu: 300\n    memory: 1024\n    desiredCount: 1\n    timeout: 70s\n    backends: [data-procesing]\n    environment: { APP_PORT: "8080" }',
    );
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:20:10 services.data-ingestion.cpu: must be a Fargate CPU size: one of 256, 512, 1024, 2048, 4096, 8192, 16384, got 300",
      'test/fixtures/envs/dev.yaml:24:16 services.data-ingestion.backends[0]: unknown service "data-procesing"; did you mean "data-processing"? services in this file: data-ingestion, data-processing',
      "test/fixtures/envs/dev.yaml:25:20 services.data-ingestion.environment.APP_PORT: is set by meshform: the port the app listens on, from services.data-ingestion.port; remove it from environment",
    ]);
  });
});

describe("what AWS would reject at apply time", () => {
  it("refuses variables meshform sets itself, naming why", () => {
    const text = edit(
      DEV_YAML,
      "    backends: [data-processing]\n",
      "    backends: [data-processing]\n    environment: { MESH_NAMESPACE: x, AWS_XRAY_DAEMON_ADDRESS: y, DATA_PROCESSING_URL: z, OK: fine }\n",
    );
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:25:20 services.data-ingestion.environment.MESH_NAMESPACE: is set by meshform: the environment's Cloud Map namespace; remove it from environment",
      "test/fixtures/envs/dev.yaml:25:39 services.data-ingestion.environment.AWS_XRAY_DAEMON_ADDRESS: is set by meshform: the address of the tracing collector beside the app (X-Ray's UDP protocol); remove it from environment",
      "test/fixtures/envs/dev.yaml:25:67 services.data-ingestion.environment.DATA_PROCESSING_URL: is set by meshform: the URL of the backend data-processing; remove it from environment",
    ]);
  });

  it("refuses a task definition over ECS's 65,536 bytes", () => {
    const many = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`VARIABLE_NUMBER_${i}`, `value-${i}-${"x".repeat(30)}`]));
    const text = edit(
      DEV_YAML,
      "    backends: [data-processing]\n",
      `    backends: [data-processing]\n    environment: ${JSON.stringify(many)}\n`,
    );
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:25:5 services.data-ingestion.environment: makes the task definition about 103,970 bytes; ECS accepts at most 65,536: use fewer or shorter variables",
    ]);
  });

  it("requires a health check command to start with CMD or CMD-SHELL", () => {
    const text = edit(
      DEV_YAML,
      "    backends: [data-processing]\n",
      "    backends: [data-processing]\n    healthCheckCommand: [curl, -f, http://localhost:3000/]\n",
    );
    expect(validate(text)).toEqual([
      'test/fixtures/envs/dev.yaml:25:5 services.data-ingestion.healthCheckCommand: must start with "CMD" (run the command) or "CMD-SHELL" (run it with the container\'s shell), as ECS requires',
    ]);
  });

  it("refuses tag keys AWS or meshform reserve, and characters AWS refuses in tags", () => {
    expect(bad("logRetentionDays: 7", 'logRetentionDays: 7\ntags: { "aws:team": x, ManagedBy: me, Owner: "a$b" }')).toEqual([
      'test/fixtures/envs/dev.yaml:16:9 tags.aws:team: a tag key cannot start with "aws:", which AWS reserves for its own tags',
      "test/fixtures/envs/dev.yaml:16:24 tags.ManagedBy: meshform sets the tags Environment, Project, ManagedBy itself; use another key",
      'test/fixtures/envs/dev.yaml:16:46 tags.Owner: a tag value may hold letters, digits, spaces and _ . : / = + - @, got "a$b"',
    ]);
  });

  it("checks that an image is an image reference", () => {
    expect(
      bad("    image: 840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod", '    image: "not an image ${x}"'),
    ).toEqual([
      'test/fixtures/envs/dev.yaml:14:12 mesh.envoy.image: must be a container image such as "public.ecr.aws/xray/aws-xray-daemon:3.3.14", got "not an image ${x}"',
    ]);
  });

  it("warns past App Mesh's default quotas, citing the quota", () => {
    expect(bad(`    desiredCount: 1\n    timeout: 70s`, `    desiredCount: 51\n    timeout: 70s`)).toEqual([
      "test/fixtures/envs/dev.yaml:22:19 services.data-ingestion.desiredCount: warning: 51 tasks connect as many Envoys to one virtual node; App Mesh allows 50 by default (quota L-606A910B): request an increase before deploying",
    ]);
    const head = DEV_YAML.slice(0, DEV_YAML.indexOf("services:\n"));
    const services = Array.from({ length: 201 }, (_, i) => `  s${i}: { port: 3000, cpu: 512, memory: 1024 }\n`).join("");
    expect(validate(`${head}imageTag: v1\nservices:\n${services}`)).toEqual([
      "test/fixtures/envs/dev.yaml:17:1 services: warning: 201 services need as many virtual nodes, routers and services; App Mesh allows 200 of each per mesh by default (quotas L-E043DFB4, L-50F6C35A, L-DA7495A7): request an increase before deploying",
    ]);
  });
});

describe("timeouts along a request's path", () => {
  it("warns at a caller's listener that ends requests before the backend's retries can finish", () => {
    const text = edit(
      edit(DEV_YAML, "    timeout: 70s\n", "    timeout: 15s\n"),
      "    timeout: 65s\n    route:",
      "    timeout: 15s\n    route:",
    );
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:23:14 services.data-ingestion.timeout: warning: 15s ends data-ingestion's requests before its call to data-processing can finish: that call may take up to 65s (data-processing's route.timeout, retries included), so data-ingestion's clients get a 504 first; raise it to at least 65s (App Mesh requires a timeout above 15s to be set on the source node's listener too)",
      "test/fixtures/envs/dev.yaml:32:14 services.data-processing.timeout: warning: 15s is shorter than requests to data-processing may take: its route.timeout is 65s, and App Mesh requires a timeout above 15s to be set on the destination node's listener too; raise it to at least 65s",
    ]);
  });

  it("warns at a backend's listener shorter than one try", () => {
    const text = edit(
      edit(DEV_YAML, "      timeout: 65s\n", "      timeout: 12s\n"),
      "    timeout: 65s\n    route:",
      "    timeout: 3s\n    route:",
    );
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:32:14 services.data-processing.timeout: warning: 3s is shorter than requests to data-processing may take: each try of its route may take 5s (retryPolicy.perRetryTimeout); raise it to at least 5s",
      "test/fixtures/envs/dev.yaml:37:7 services.data-processing.route.retryPolicy: warning: 12 retries of 5s plus the first try need up to 65s, but route.timeout is 12s, so at most 2 tries fit; raise route.timeout to 65s or lower maxRetries",
    ]);
  });
});
