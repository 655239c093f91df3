/** Risk flags, each from a real change to a fixture environment (test/fixtures/envs), synthesized before and after. */
import { describe, expect, it } from "vitest";
import { diffStacks } from "../../src/review/diff";
import { riskFlags } from "../../src/review/risk";
import { DEV_FILE, DEV_YAML, edit, envFile, envYaml, resolve } from "../helpers";
import { synthStack } from "../stack-helpers";

const PROD_YAML = envYaml("prod");
const STAGING_YAML = envYaml("staging");

function flags(before: string, after: string, file = DEV_FILE) {
  const [b, a] = [synthStack(resolve(before, file)), synthStack(resolve(after, file))];
  return riskFlags(b, a, diffStacks(b, a)).map((f) => `${f.kind}${f.resource ? ` ${f.resource}` : ""}: ${f.reason}`);
}

describe("risk flags", () => {
  it("raise the three of the README's example: retries lowered, egress opened, a service scaled to zero", () => {
    const after = edit(
      edit(edit(DEV_YAML, "maxRetries: 12", "maxRetries: 3"), "egress: DROP_ALL", "egress: ALLOW_ALL"),
      "    desiredCount: 1\n    timeout: 70s",
      "    desiredCount: 0\n    timeout: 70s",
    );
    expect(flags(DEV_YAML, after)).toEqual([
      "egress aws_appmesh_mesh.mesh_A3114631: egress opened (ALLOW_ALL): tasks may now reach any address, not only the mesh's services and named external services",
      "retries aws_appmesh_route.data-processing-router_route_BFBE9614: route dev-smn-app-mesh-ecs-data-processing-route: retries lowered from 12 to 3: more requests fail (or are dead-lettered) during an outage",
      "scale-to-zero aws_ecs_service.data-ingestion-service_EC8BA361: dev-smn-app-mesh-ecs-data-ingestion scaled to 0 tasks (from 1): it answers nothing, and its callers' requests fail or are dead-lettered",
    ]);
  });

  it("flag a retry policy removed under App Mesh, and retries lowered in the caller under Service Connect", () => {
    const removed = DEV_YAML.replace(/ {6}retryPolicy:\n( {8}.*\n)+/, "");
    expect(flags(DEV_YAML, removed)).toEqual([
      "retries aws_appmesh_route.data-processing-router_route_BFBE9614: route dev-smn-app-mesh-ecs-data-processing-route: the retry policy is removed (12 retries before): every failure now reaches the caller at once",
    ]);
    expect(flags(PROD_YAML, edit(PROD_YAML, "maxRetries: 3", "maxRetries: 1"), envFile("prod"))).toEqual([
      "retries aws_ecs_task_definition.data-ingestion-task_definition_2056FF4D: calls to data-processing: retries lowered from 3 to 1: more requests fail (or are dead-lettered) during an outage",
    ]);
  });

  it("flag stateful and shared resources replaced or removed, with what goes with them", () => {
    const result = flags(
      DEV_YAML,
      edit(
        edit(DEV_YAML, "internalDomain: smn-app-mesh-ecs.internal", "internalDomain: telemetry.internal"),
        "    deadLetterQueue: true\n",
        "",
      ),
    );
    expect(result.filter((f) => f.startsWith("stateful"))).toEqual([
      "stateful aws_service_discovery_private_dns_namespace.cloud-map_namespace_87AC1188: replaced: every service's DNS name and Service Connect registration lives in this namespace",
      "stateful aws_sqs_queue.dead-letters_queue_20205199: removed: the dead letters waiting in it are lost",
    ]);
  });

  it("flag a wider ingress, an internet-facing load balancer, and a widened IAM policy", () => {
    const open = edit(
      edit(STAGING_YAML, "allowedCidrs: [10.0.0.0/8]", "allowedCidrs: [0.0.0.0/0]\n      scheme: internet-facing"),
      "    deadLetterQueue: true\n",
      "    deadLetterQueue: true\n    environment: {}\n",
    );
    const result = flags(STAGING_YAML, open, envFile("staging"));
    expect(result).toEqual([
      "exposure aws_vpc_security_group_ingress_rule.data-ingestion-ingress_allowed-0_83A523DD: admits 0.0.0.0/0 on port 443 (was 10.0.0.0/8)",
      "exposure aws_lb.data-ingestion-ingress_load-balancer_3113D137: load balancer staging-smn-app-mesh-ecs-552334 faces the internet",
    ]);
    const widened = flags(
      DEV_YAML,
      edit(DEV_YAML, "    desiredCount: 1\n    timeout: 65s", "    desiredCount: 1\n    deadLetterQueue: true\n    timeout: 65s"),
    );
    expect(widened).toEqual([
      "iam aws_iam_role_policy.data-processing-iam_task-policy_2D650741: traces-mesh-dead-letters: statement [Sid=DeadLetters] is new, allowing actions sqs:SendMessage and resources ${aws_sqs_queue.dead-letters_queue_20205199.arn}",
    ]);
  });

  it("flag a provider switch with AWS's blue/green steps", () => {
    const sc = edit(
      DEV_YAML,
      "  provider: appmesh\n  egress: DROP_ALL\n  envoy:\n    image: 840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod\n",
      "  provider: service-connect\n",
    );
    expect(flags(DEV_YAML, sc)[0]).toBe(
      "provider-switch: App Mesh → Service Connect: an ECS service cannot be in two meshes at once, so applying this in place drops traffic while tasks are replaced; AWS recommends blue/green: deploy a copy of the environment under a new name on the new provider, shift traffic to it, then destroy the old one (README: Moving an environment from App Mesh to Service Connect)",
    );
  });

  it("stay silent on an ordinary change", () => {
    expect(flags(DEV_YAML, edit(DEV_YAML, "logRetentionDays: 7", "logRetentionDays: 14"))).toEqual([]);
  });
});
