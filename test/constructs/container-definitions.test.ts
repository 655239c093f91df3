import { describe, expect, it } from "vitest";
import type { ResolvedEnvironment } from "../../src/config/model";
import { taskContainers } from "../../src/constructs/container-definitions";
import { providerOf } from "../../src/providers";
import { DEV_YAML, edit, resolve } from "../helpers";
import type { Json } from "../stack-helpers";

const APPMESH = resolve(DEV_YAML);
const SERVICE_CONNECT = resolve(
  edit(
    DEV_YAML,
    "  provider: appmesh\n  egress: DROP_ALL\n  envoy:\n    image: 840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod\n",
    "  provider: service-connect\n",
  ),
);

const containersOf = (env: ResolvedEnvironment, name: string, overrides: Partial<Parameters<typeof taskContainers>[1]> = {}) =>
  taskContainers(providerOf(env.mesh.provider), {
    env,
    service: env.services.find((s) => s.name === name)!,
    appImage: "repo:v1",
    logGroupName: "logs",
    refs: { virtualNodeArn: "node-arn" },
    deadLetterQueueUrl: "queue-url",
    ...overrides,
  });

describe("App Mesh task containers", () => {
  const { containers, proxyConfiguration } = containersOf(APPMESH, "data-ingestion");
  const [app, envoy, collector] = containers as Json[];

  it("splits the task between the app and the sidecars", () => {
    expect(app!.cpu + envoy!.cpu + collector!.cpu).toBe(512);
    expect(app!.memoryReservation + envoy!.memoryReservation + collector!.memoryReservation).toBe(1024);
  });

  it("runs the app as non-root on a read-only root filesystem with a writable /tmp", () => {
    expect(app!.user).toBe("1000");
    expect(app!.readonlyRootFilesystem).toBe(true);
    expect(app!.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
  });

  it("runs Envoy as uid 1337 with X-Ray tracing and its node ARN, and starts the app once it is healthy", () => {
    expect(envoy!.user).toBe("1337");
    expect(envoy!.environment).toEqual([
      { name: "APPMESH_RESOURCE_ARN", value: "node-arn" },
      { name: "ENABLE_ENVOY_XRAY_TRACING", value: "1" },
    ]);
    expect(envoy!.healthCheck.command).toEqual(["CMD-SHELL", "curl -s http://localhost:9901/server_info | grep state | grep -q LIVE"]);
    expect(envoy!.essential).toBe(true);
    expect(app!.dependsOn).toEqual([{ containerName: "envoy", condition: "HEALTHY" }]);
    expect(proxyConfiguration).toMatchObject({
      type: "APPMESH",
      containerName: "envoy",
      properties: { AppPorts: "3000", IgnoredUID: "1337" },
    });
  });

  it("states Envoy's writable root filesystem (its image needs one) and keeps the collector's read-only", () => {
    expect(envoy!.readonlyRootFilesystem).toBe(false);
    expect(collector!.readonlyRootFilesystem).toBe(true);
  });

  // X-Ray guide: the daemon reaches end of support on 2027-02-25; ADOT receives X-Ray's UDP protocol (issue 15, row 14).
  it("runs the tracing collector (ADOT) non-essential, as Envoy's uid so its traffic bypasses the proxy, with X-Ray's UDP and OTLP on loopback", () => {
    expect(collector).toMatchObject({
      name: "otel-collector",
      image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.47.0",
      essential: false,
      user: "1337",
      healthCheck: { command: ["CMD", "/healthcheck"] },
    });
    expect(collector!.portMappings).toBeUndefined(); // nothing outside the task reaches it
    const config = collector!.environment.find((e: Json) => e.name === "AOT_CONFIG_CONTENT").value as string;
    expect(config).toContain("  awsxray:\n    endpoint: 127.0.0.1:2000\n    transport: udp");
    expect(config).toContain("      receivers: [awsxray, otlp]\n      processors: [batch/traces]\n      exporters: [awsxray]");
    expect(app!.environment).toContainEqual({ name: "AWS_XRAY_DAEMON_ADDRESS", value: "127.0.0.1:2000" });
    expect(app!.environment).toContainEqual({ name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: "http://127.0.0.1:4318" });
  });

  it("runs the X-Ray daemon instead when asked, and no collector, no tracing variables and no Envoy tracing with none", () => {
    const daemon = containersOf(
      resolve(DEV_YAML.replace("logRetentionDays: 7", "logRetentionDays: 7\ntracing: { collector: xray-daemon }")),
      "data-ingestion",
    );
    expect(daemon.containers.at(-1)).toMatchObject({
      name: "xray-daemon",
      image: "public.ecr.aws/xray/aws-xray-daemon:3.3.14",
      cpu: 32,
      memoryReservation: 128,
      user: "1337",
    });
    const none = containersOf(
      resolve(DEV_YAML.replace("logRetentionDays: 7", "logRetentionDays: 7\ntracing: { collector: none }")),
      "data-ingestion",
    );
    expect(none.containers.map((c) => c.name)).toEqual(["app", "envoy"]);
    expect(JSON.stringify(none.containers)).not.toMatch(/XRAY|OTEL/);
  });

  it("checks the app's health with node, not curl (the service images have no curl)", () => {
    expect(app!.healthCheck.command.slice(0, 3)).toEqual(["CMD", "node", "-e"]);
    expect(app!.healthCheck.command[3]).toContain('path:"/health-check"');
  });

  it("tells the app its backends' URL and deadline, and no retry policy: Envoy retries", () => {
    const names = app!.environment.map((e: Json) => e.name);
    expect(names).toEqual([
      "APP_PORT",
      "AWS_XRAY_DAEMON_ADDRESS",
      "DATA_PROCESSING_TIMEOUT_MS",
      "DATA_PROCESSING_URL",
      "DEAD_LETTER_QUEUE_URL",
      "MESH_NAMESPACE",
      "OTEL_EXPORTER_OTLP_ENDPOINT",
    ]);
    expect(app!.environment).toContainEqual({ name: "DATA_PROCESSING_TIMEOUT_MS", value: "65000" });
  });

  it("passes user environment variables, sorted, beside meshform's", () => {
    const text = edit(
      DEV_YAML,
      "    backends: [data-processing]",
      "    backends: [data-processing]\n    environment: { LOG_LEVEL: debug }",
    );
    const [withEnv] = containersOf(resolve(text), "data-ingestion").containers as Json[];
    expect(withEnv!.environment.map((e: Json) => e.name)).toContain("LOG_LEVEL");
    expect(withEnv!.environment.map((e: Json) => e.name)).toEqual([...withEnv!.environment.map((e: Json) => e.name)].sort());
  });
});

describe("Service Connect task containers", () => {
  const { containers, proxyConfiguration } = containersOf(SERVICE_CONNECT, "data-ingestion");
  const [app, ready, xray] = containers as Json[];

  it("leaves the proxy ECS injects its share: 256 CPU units and 64 MiB that no container claims", () => {
    expect(512 - (app!.cpu + xray!.cpu)).toBe(256);
    expect(1024 - (app!.memoryReservation + xray!.memoryReservation)).toBe(64);
    expect(ready!.cpu).toBe(0);
    expect(ready!.memoryReservation).toBeUndefined();
  });

  it("has no Envoy, no proxy configuration and no App Mesh variables", () => {
    expect(containers.map((c) => c.name)).toEqual(["app", "app-ready", "otel-collector"]);
    expect(proxyConfiguration).toBeUndefined();
    expect(app!.dependsOn).toBeUndefined();
    expect(JSON.stringify(containers)).not.toMatch(/APPMESH|envoy/i);
  });

  it("names the app's port for Service Connect and states its protocol", () => {
    expect(app!.portMappings).toEqual([{ containerPort: 3000, protocol: "tcp", name: "data-ingestion", appProtocol: "http" }]);
  });

  it("holds the task back until the app is healthy: a non-essential gate running the app's own health check from its own image", () => {
    expect(ready).toMatchObject({
      image: "repo:v1",
      essential: false,
      user: "1000",
      readonlyRootFilesystem: true,
      dependsOn: [{ containerName: "app", condition: "HEALTHY" }],
      entryPoint: ["node"],
      command: ["-e", app!.healthCheck.command[3]],
    });
    const shell = edit(
      edit(
        DEV_YAML,
        "  provider: appmesh\n  egress: DROP_ALL\n  envoy:\n    image: 840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod\n",
        "  provider: service-connect\n",
      ),
      "    backends: [data-processing]\n",
      '    backends: [data-processing]\n    healthCheckCommand: [CMD-SHELL, "wget -q -O- http://localhost:3000/health-check"]\n',
    );
    const [, gate] = containersOf(resolve(shell), "data-ingestion").containers as Json[];
    expect(gate).toMatchObject({ entryPoint: ["sh", "-c"], command: ["wget -q -O- http://localhost:3000/health-check"] });
  });

  it("times the app's container health check with the service's healthCheck", () => {
    expect(app!.healthCheck).toMatchObject({ interval: 5, timeout: 2, retries: 2, startPeriod: 10 });
  });

  it("tells a caller its backend's retry policy, which its HTTP client enforces", () => {
    const env = Object.fromEntries(app!.environment.map((e: Json) => [e.name, e.value]));
    expect(env).toMatchObject({
      DATA_PROCESSING_URL: "http://data-processing.dev.smn-app-mesh-ecs.internal:3000",
      DATA_PROCESSING_TIMEOUT_MS: "65000",
      DATA_PROCESSING_MAX_RETRIES: "12",
      DATA_PROCESSING_PER_TRY_TIMEOUT_MS: "5000",
      DATA_PROCESSING_RETRY_ON: "gateway-error,connection-error",
      DATA_PROCESSING_BACKOFF_BASE_MS: "100",
      DATA_PROCESSING_BACKOFF_CAP_MS: "2000",
    });
  });
});
