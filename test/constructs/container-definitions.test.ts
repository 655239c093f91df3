import { describe, expect, it } from "vitest";
import { APP_UID, containerDefinitions } from "../../src/constructs/container-definitions";
import { DEV_YAML, type Json, resolve } from "../helpers";

const env = resolve(DEV_YAML);
const inputs = (name: string) => ({
  service: env.services.find((s) => s.name === name)!,
  region: env.region,
  namespace: env.names.namespace,
  appImage: "repo:v1",
  envoy: env.mesh.envoy,
  xray: env.mesh.xray,
  logGroupName: "logs",
  virtualNodeArn: "node-arn",
});
const [app, envoy, xray] = containerDefinitions(inputs("data-ingestion")) as Json[];

describe("container definitions", () => {
  it("splits the task between the app and the sidecars", () => {
    expect(app!.cpu + envoy!.cpu + xray!.cpu).toBe(512);
    expect(app!.memoryReservation + envoy!.memoryReservation + xray!.memoryReservation).toBe(1024);
  });

  it("runs the app as non-root on a read-only root filesystem with a writable /tmp", () => {
    expect(app!.user).toBe(APP_UID);
    expect(app!.readonlyRootFilesystem).toBe(true);
    expect(app!.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
  });

  it("runs Envoy as uid 1337 with X-Ray tracing and its node ARN", () => {
    expect(envoy!.user).toBe("1337");
    expect(envoy!.environment).toEqual([
      { name: "APPMESH_RESOURCE_ARN", value: "node-arn" },
      { name: "ENABLE_ENVOY_XRAY_TRACING", value: "1" },
    ]);
    expect(envoy!.healthCheck.command).toEqual(["CMD-SHELL", "curl -s http://localhost:9901/server_info | grep state | grep -q LIVE"]);
    expect(envoy!.essential).toBe(true);
  });

  it("states Envoy's writable root filesystem (its image needs one) and keeps the X-Ray daemon's read-only", () => {
    expect(envoy!.readonlyRootFilesystem).toBe(false);
    expect(xray!.readonlyRootFilesystem).toBe(true);
  });

  it("runs the X-Ray daemon on UDP 2000, non-essential, as Envoy's uid so its traffic bypasses the proxy", () => {
    expect(xray).toMatchObject({ essential: false, user: "1337", portMappings: [{ containerPort: 2000, protocol: "udp" }] });
  });

  it("checks the app's health with node, not curl (the service images have no curl)", () => {
    expect(app!.healthCheck.command.slice(0, 3)).toEqual(["CMD", "node", "-e"]);
    expect(app!.healthCheck.command[3]).toContain('path:"/health-check"');
  });

  it("passes user environment variables, sorted, beside APP_PORT and the backend URLs", () => {
    const text = DEV_YAML.replace("    backends: [data-processing]", "    backends: [data-processing]\n    environment: { LOG_LEVEL: debug }");
    const [withEnv] = containerDefinitions({ ...inputs("data-ingestion"), service: resolve(text).services[0]! }) as Json[];
    expect(withEnv!.environment.map((e: Json) => e.name)).toEqual(["APP_PORT", "AWS_XRAY_DAEMON_ADDRESS", "DATA_PROCESSING_URL", "LOG_LEVEL", "MESH_NAMESPACE"]);
  });
});
