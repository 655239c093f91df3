/** App Mesh's way in: the ingress load balancer reaches a virtual gateway, which routes to the entry service's virtual service. */
import { describe, expect, it } from "vitest";
import { GATEWAY_TASK } from "../../../src/providers/appmesh/gateway";
import { APPMESH_QA_FILE, APPMESH_QA_YAML, edit, resolve } from "../../helpers";
import { type Json, one, ref, resources, synthStack } from "../../stack-helpers";

const QA = APPMESH_QA_YAML;
const stack = synthStack(resolve(QA, APPMESH_QA_FILE));
const gateway = one(stack, "aws_appmesh_virtual_gateway");
const gatewayService = one(stack, "aws_ecs_service", (s) => s.name.endsWith("-gateway"));

describe("the App Mesh ingress gateway", () => {
  it("listens on the entry service's port and sends every request to its virtual service", () => {
    expect(gateway).toMatchObject({
      name: "appmesh-qa-smn-app-mesh-ecs-data-ingestion-gateway",
      spec: { listener: [{ port_mapping: { port: 3000, protocol: "http" } }], logging: { access_log: { file: { path: "/dev/stdout" } } } },
    });
    const virtualService = one(
      stack,
      "aws_appmesh_virtual_service",
      (s) => s.name === "data-ingestion.appmesh-qa.smn-app-mesh-ecs.internal",
    );
    expect(one(stack, "aws_appmesh_gateway_route").spec).toEqual({
      http_route: {
        match: { prefix: "/" },
        action: { target: { virtual_service: { virtual_service_name: ref("aws_appmesh_virtual_service", virtualService, "name") } } },
      },
    });
  });

  it("runs one Envoy per task, registered in the load balancer's target group instead of the service's tasks", () => {
    const targetGroup = one(stack, "aws_lb_target_group");
    expect(gatewayService).toMatchObject({
      desired_count: 2,
      load_balancer: [{ target_group_arn: ref("aws_lb_target_group", targetGroup, "arn"), container_name: "envoy", container_port: 3000 }],
      network_configuration: { assign_public_ip: false },
    });
    expect(gatewayService.depends_on).toContain(`aws_lb_listener.${one(stack, "aws_lb_listener").id}`);
    expect(one(stack, "aws_ecs_service", (s) => s.name === "appmesh-qa-smn-app-mesh-ecs-data-ingestion").load_balancer).toBeUndefined();
    const task = one(stack, "aws_ecs_task_definition", (t) => t.family === "appmesh-qa-smn-app-mesh-ecs-data-ingestion-gateway");
    expect([task.cpu, task.memory]).toEqual([String(GATEWAY_TASK.cpu), String(GATEWAY_TASK.memory)]);
    const [envoy] = JSON.parse(task.container_definitions) as Json[];
    expect(envoy).toMatchObject({
      name: "envoy",
      user: "1337",
      environment: [{ name: "APPMESH_RESOURCE_ARN", value: ref("aws_appmesh_virtual_gateway", gateway, "arn") }],
    });
  });

  it("may stream its own configuration and nothing else", () => {
    const policy = one(stack, "aws_iam_role_policy", (p) => p.role.includes("data-ingestion-gateway_iam_task-role"));
    expect(JSON.parse(policy.policy).Statement[0]).toEqual({
      Sid: "AppMeshOwnGateway",
      Effect: "Allow",
      Action: "appmesh:StreamAggregatedResources",
      Resource: ref("aws_appmesh_virtual_gateway", gateway, "arn"),
    });
    expect(resources(stack, "aws_iam_role").map((r) => r.name)).toEqual(
      expect.arrayContaining(["appmesh-qa-smn-app-mesh-ecs-data-ingestion-gw-exec", "appmesh-qa-smn-app-mesh-ecs-data-ingestion-gw-task"]),
    );
  });

  it("verifies a TLS entry service as its callers do, so an ingress can sit in front of STRICT TLS and of versions", () => {
    const text = edit(
      edit(
        QA,
        "    ingress:\n      port: 443\n      certificate: arn:aws:acm:eu-west-1:123456789012:certificate/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f\n      allowedCidrs: [10.0.0.0/8]\n",
        "",
      ),
      "    externalBackends: [weather-api]",
      "    externalBackends: [weather-api]\n    ingress: { allowedCidrs: [10.0.0.0/8] }",
    );
    const s = synthStack(resolve(text, APPMESH_QA_FILE));
    expect(one(s, "aws_appmesh_virtual_gateway").spec.backend_defaults).toEqual({
      client_policy: {
        tls: {
          enforce: true,
          ports: [3000],
          validation: {
            trust: {
              acm: {
                certificate_authority_arns: [
                  "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                ],
              },
            },
          },
        },
      },
    });
  });
});
