/** App Mesh stacks with versions, routes, outlier detection, a connection pool and TLS, as the App Mesh traffic fixture (test/fixtures/configs/appmesh-qa.yaml) has them. */
import { describe, expect, it } from "vitest";
import { APPMESH_QA_FILE, APPMESH_QA_YAML, resolve, resolveEnv } from "../../helpers";
import { type Json, one, ref, resources, synthStack } from "../../stack-helpers";

const stack = synthStack(resolve(APPMESH_QA_YAML, APPMESH_QA_FILE));
const node = (name: string) => one(stack, "aws_appmesh_virtual_node", (n) => n.name === name);
const policyOf = (role: string) =>
  JSON.parse(one(stack, "aws_iam_role_policy", (p) => p.role.includes(`${role}_task-role`)).policy).Statement as Json[];

describe("versions", () => {
  it("run each version as its own task definition and ECS service, with its image tag and count", () => {
    const services = resources(stack, "aws_ecs_service").filter((s) => s.name.includes("data-processing"));
    expect(services.map((s) => [s.name, s.desired_count])).toEqual([
      ["appmesh-qa-smn-app-mesh-ecs-data-processing-v1", 2],
      ["appmesh-qa-smn-app-mesh-ecs-data-processing-v2", 1],
    ]);
    const images = resources(stack, "aws_ecs_task_definition")
      .filter((t) => t.family.includes("data-processing"))
      .map((t) => [
        t.family,
        JSON.parse(t.container_definitions)
          .find((c: Json) => c.name === "app")
          .image.split(":")
          .at(-1),
      ]);
    expect(images).toEqual([
      ["appmesh-qa-smn-app-mesh-ecs-data-processing-v1", "v1"],
      ["appmesh-qa-smn-app-mesh-ecs-data-processing-v2", "v2"],
    ]);
  });

  it("give each version a virtual node that discovers only its own tasks, and Envoy that node's ARN", () => {
    for (const v of ["v1", "v2"]) {
      const n = node(`appmesh-qa-smn-app-mesh-ecs-data-processing-${v}-node`);
      expect(n.spec.service_discovery.aws_cloud_map).toEqual({ namespace_name: expect.any(String), service_name: `data-processing-${v}` });
      const registry = one(stack, "aws_service_discovery_service", (d) => d.name === `data-processing-${v}`);
      const ecs = one(stack, "aws_ecs_service", (s) => s.name === `appmesh-qa-smn-app-mesh-ecs-data-processing-${v}`);
      expect(ecs.service_registries.registry_arn).toBe(ref("aws_service_discovery_service", registry, "arn"));
      const task = one(stack, "aws_ecs_task_definition", (t) => t.family === `appmesh-qa-smn-app-mesh-ecs-data-processing-${v}`);
      const envoy = JSON.parse(task.container_definitions).find((c: Json) => c.name === "envoy");
      expect(envoy.environment).toContainEqual({ name: "APPMESH_RESOURCE_ARN", value: ref("aws_appmesh_virtual_node", n, "arn") });
    }
    expect(policyOf("data-processing-iam")).toContainEqual({
      Sid: "AppMeshOwnNode",
      Effect: "Allow",
      Action: "appmesh:StreamAggregatedResources",
      Resource: ["v1", "v2"].map((v) =>
        ref("aws_appmesh_virtual_node", node(`appmesh-qa-smn-app-mesh-ecs-data-processing-${v}-node`), "arn"),
      ),
    });
  });
});

describe("routes", () => {
  const routes = resources(stack, "aws_appmesh_route").filter((r) => r.name.includes("data-processing"));
  const byName = Object.fromEntries(routes.map((r) => [r.name, r.spec]));
  const nodeName = (v: string) => `\${aws_appmesh_virtual_node.${node(`appmesh-qa-smn-app-mesh-ecs-data-processing-${v}-node`).id}.name}`;

  it("send beta users, by header, to v2 first", () => {
    expect(byName["appmesh-qa-smn-app-mesh-ecs-data-processing-beta"]).toMatchObject({
      priority: 10,
      http_route: {
        match: { prefix: "/", header: [{ name: "x-beta-user", invert: false, match: { exact: "true" } }] },
        action: { weighted_target: [{ virtual_node: nodeName("v2"), weight: 100 }] },
      },
    });
  });

  it("split everyone else 90/10 between v1 and v2, with the article's retry policy", () => {
    expect(byName["appmesh-qa-smn-app-mesh-ecs-data-processing-main"]).toMatchObject({
      priority: 20,
      http_route: {
        match: { prefix: "/" },
        action: {
          weighted_target: [
            { virtual_node: nodeName("v1"), weight: 90 },
            { virtual_node: nodeName("v2"), weight: 10 },
          ],
        },
        timeout: { per_request: { unit: "s", value: 65 } },
        retry_policy: {
          max_retries: 12,
          per_retry_timeout: { unit: "s", value: 5 },
          http_retry_events: ["gateway-error"],
          tcp_retry_events: ["connection-error"],
        },
      },
    });
  });
});

describe("listeners", () => {
  const listener = node("appmesh-qa-smn-app-mesh-ecs-data-processing-v1-node").spec.listener[0];

  it("eject a task after 5 consecutive 5xx for 30s, at most half of them, and bound each caller's pool", () => {
    expect(listener.outlier_detection).toEqual({
      max_server_errors: 5,
      interval: { unit: "s", value: 30 },
      base_ejection_duration: { unit: "s", value: 30 },
      max_ejection_percent: 50,
    });
    expect(listener.connection_pool).toEqual({ http: [{ max_connections: 100, max_pending_requests: 50 }] });
  });

  it("terminate TLS with the ACM certificate, which the task may export, and nothing else", () => {
    const certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b";
    expect(listener.tls).toEqual({ mode: "STRICT", certificate: { acm: { certificate_arn: certificate } } });
    expect(policyOf("data-processing-iam")).toContainEqual({
      Sid: "TlsOwnCertificate",
      Effect: "Allow",
      Action: "acm:ExportCertificate",
      Resource: certificate,
    });
    expect(policyOf("data-ingestion-iam").map((s) => s.Sid)).not.toContain("TlsOwnCertificate");
  });

  it("make callers verify the backend's certificate against its CA, and let them read that CA only", () => {
    const ca = "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    const caller = node("appmesh-qa-smn-app-mesh-ecs-data-ingestion-node");
    expect(caller.spec.backend[0].virtual_service.client_policy).toEqual({
      tls: { enforce: true, ports: [3000], validation: { trust: { acm: { certificate_authority_arns: [ca] } } } },
    });
    expect(policyOf("data-ingestion-iam")).toContainEqual({
      Sid: "TlsBackendAuthorities",
      Effect: "Allow",
      Action: "acm-pca:GetCertificateAuthorityCertificate",
      Resource: ca,
    });
  });

  it("leave the article's dev stack without any of it", () => {
    const dev = synthStack(resolveEnv("dev"));
    const l = one(dev, "aws_appmesh_virtual_node", (n) => n.name.endsWith("data-processing-node")).spec.listener[0];
    expect([l.outlier_detection, l.connection_pool, l.tls]).toEqual([undefined, undefined, undefined]);
    expect(resources(dev, "aws_appmesh_route").map((r) => r.name)).toEqual([
      "dev-smn-app-mesh-ecs-data-ingestion-route",
      "dev-smn-app-mesh-ecs-data-processing-route",
    ]);
  });
});
