/** One test per cross-field rule, each with the exact message a user sees. */
import { describe, expect, it } from "vitest";
import { DEV_YAML, edit, validate } from "../helpers";

const bad = (from: string, to: string) => validate(edit(DEV_YAML, from, to));
const INGESTION_SIZE = "    cpu: 512\n    memory: 1024\n    desiredCount: 1\n    timeout: 15s\n    backends";

describe("cross-field checks", () => {
  it("requires environment to equal the file name", () => {
    expect(validate(DEV_YAML, "config/qa.yaml")).toEqual(['config/qa.yaml:3:14 environment: must equal the file name "qa", got "dev"']);
  });

  it("requires backends to name services of the file", () => {
    expect(bad("backends: [data-processing]", "backends: [data-procesing]")).toEqual([
      'config/dev.yaml:24:16 services.data-ingestion.backends[0]: unknown service "data-procesing"; did you mean "data-processing"? services in this file: data-ingestion, data-processing',
    ]);
  });

  it("forbids a service being its own backend, and duplicates", () => {
    expect(bad("backends: [data-processing]", "backends: [data-processing, data-ingestion]")).toEqual([
      'config/dev.yaml:24:33 services.data-ingestion.backends[1]: a service cannot be its own backend ("data-ingestion")',
    ]);
    expect(bad("backends: [data-processing]", "backends: [data-processing, data-processing]")).toEqual([
      'config/dev.yaml:24:33 services.data-ingestion.backends[1]: "data-processing" is listed twice',
    ]);
  });

  it("requires a Fargate CPU/memory pair (and accepts every real one)", () => {
    expect(bad(INGESTION_SIZE, INGESTION_SIZE.replace("memory: 1024", "memory: 1000"))).toEqual([
      "config/dev.yaml:21:13 services.data-ingestion.memory: 1000 MiB is not a Fargate size with cpu 512; allowed: 1024-4096 in steps of 1024",
    ]);
    expect(bad(INGESTION_SIZE, INGESTION_SIZE.replace("cpu: 512", "cpu: 256"))).toEqual([]);
  });

  it("requires the sidecars to fit inside the task", () => {
    const text = edit(edit(DEV_YAML, "    image: 840364872350", "    cpu: 480\n    memory: 900\n    image: 840364872350"), INGESTION_SIZE, INGESTION_SIZE);
    expect(validate(text)).toEqual([
      "config/dev.yaml:22:10 services.data-ingestion.cpu: 512 CPU units leave 0 for the app after the Envoy (480) and X-Ray (32) sidecars; the app needs at least 64",
      "config/dev.yaml:23:13 services.data-ingestion.memory: 1024 MiB leave -4 MiB for the app after the Envoy (900) and X-Ray (128) sidecars; the app needs at least 128",
      "config/dev.yaml:30:10 services.data-processing.cpu: 512 CPU units leave 0 for the app after the Envoy (480) and X-Ray (32) sidecars; the app needs at least 64",
      "config/dev.yaml:31:13 services.data-processing.memory: 1024 MiB leave -4 MiB for the app after the Envoy (900) and X-Ray (128) sidecars; the app needs at least 128",
    ]);
  });

  it("keeps IAM role names within 64 characters", () => {
    const long = "a-very-long-service-name-that-will-not-fit";
    expect(bad("  data-processing:\n", `  ${long}:\n`).filter((m) => m.includes("IAM"))).toEqual([
      `config/dev.yaml:25:3 services.${long}: makes the IAM role name "dev-smn-app-mesh-ecs-${long}-exec" 68 characters long; AWS allows 64: shorten the service, project or environment name`,
    ]);
  });

  it("keeps the security group name clear of AWS's sg- id prefix", () => {
    expect(validate(edit(DEV_YAML, "environment: dev", "environment: sg"), "config/sg.yaml")).toEqual([
      'config/sg.yaml:3:14 environment: makes the security group name "sg-smn-app-mesh-ecs-mesh" start with "sg-", which AWS reserves for group ids',
    ]);
  });

  it("warns when the retry policy cannot fit in the route timeout, and the warning alone does not fail", () => {
    expect(bad("      timeout: 65s\n", "")).toEqual([
      "config/dev.yaml:35:7 services.data-processing.route.retryPolicy: warning: 12 retries of 5s plus the first try need up to 65s, but route.timeout is 15s, so at most 3 tries fit; raise route.timeout to 65s or lower maxRetries",
    ]);
  });

  it("runs on the valid parts of a file that also has schema errors: every error in one run", () => {
    const text = edit(edit(DEV_YAML, "backends: [data-processing]", "backends: [data-procesing]"), "  data-processing:\n    port: 3000", "  data-processing:\n    port: 0");
    expect(validate(text, "config/qa.yaml")).toEqual([
      'config/qa.yaml:3:14 environment: must equal the file name "qa", got "dev"',
      'config/qa.yaml:24:16 services.data-ingestion.backends[0]: unknown service "data-procesing"; did you mean "data-processing"? services in this file: data-ingestion, data-processing',
      "config/qa.yaml:26:11 services.data-processing.port: must be a whole number from 1 to 65535, got 0",
    ]);
  });

  it("still knows services whose own block is invalid, so backends naming them are not flagged", () => {
    const text = edit(DEV_YAML, "  data-processing:\n    port: 3000", "  data-processing:\n    port: 0");
    expect(validate(text)).toEqual(["config/dev.yaml:26:11 services.data-processing.port: must be a whole number from 1 to 65535, got 0"]);
  });
});
