/** Risk findings, each from a real change to a fixture environment (test/fixtures/envs), synthesized before and after. */
import { describe, expect, it } from "vitest";
import { DEV_YAML, edit, envFile, envYaml } from "../helpers";
import { riskLines } from "./review-helpers";

const PROD_YAML = envYaml("prod");
const STAGING_YAML = envYaml("staging");

describe("risk findings", () => {
  it("raise the three of the README's example at their lines: retries lowered, egress opened, a service scaled to zero", () => {
    const after = edit(
      edit(edit(DEV_YAML, "maxRetries: 12", "maxRetries: 3"), "egress: DROP_ALL", "egress: ALLOW_ALL"),
      "    desiredCount: 1\n    timeout: 70s",
      "    desiredCount: 0\n    timeout: 70s",
    );
    expect(riskLines(DEV_YAML, after)).toEqual([
      "MF902 high 12:11 mesh.egress aws_appmesh_mesh.mesh_A3114631: egress opened (ALLOW_ALL): tasks may now reach any address, not only the mesh's services and named external services",
      "MF903 medium 38:21 services.data-processing.route.retryPolicy.maxRetries aws_appmesh_route.data-processing-router_route_BFBE9614: route dev-smn-app-mesh-ecs-data-processing-route: retries lowered from 12 to 3: more requests fail (or are dead-lettered) during an outage",
      "MF907 high 22:19 services.data-ingestion.desiredCount aws_ecs_service.data-ingestion-service_EC8BA361: dev-smn-app-mesh-ecs-data-ingestion scaled to 0 tasks (from 1): it answers nothing, and its callers' requests fail or are dead-lettered",
    ]);
  });

  it("raise a retry policy removed under App Mesh, and retries lowered in the caller under Service Connect, at the backend's route", () => {
    const removed = DEV_YAML.replace(/ {6}retryPolicy:\n( {8}.*\n)+/, "");
    expect(riskLines(DEV_YAML, removed)).toEqual([
      // The field is gone: it is located at its nearest ancestor, the route.
      "MF904 medium 33:5 services.data-processing.route.retryPolicy.maxRetries aws_appmesh_route.data-processing-router_route_BFBE9614: route dev-smn-app-mesh-ecs-data-processing-route: the retry policy is removed (12 retries before): every failure now reaches the caller at once",
    ]);
    expect(riskLines(PROD_YAML, edit(PROD_YAML, "maxRetries: 3", "maxRetries: 1"), envFile("prod"))).toEqual([
      expect.stringMatching(
        /^MF903 medium \d+:\d+ services\.data-processing\.route\.retryPolicy\.maxRetries aws_ecs_task_definition\.data-ingestion-task_definition_2056FF4D: calls to data-processing: retries lowered from 3 to 1: /,
      ),
    ]);
    expect(riskLines(PROD_YAML, edit(PROD_YAML, "maxRetries: 3", "maxRetries: 5"), envFile("prod"))).toEqual([
      expect.stringMatching(/^MF905 low .*: calls to data-processing: retries raised from 3 to 5: a struggling backend gets more load$/),
    ]);
  });

  it("raise stateful and shared resources replaced or removed, with what goes with them", () => {
    const result = riskLines(
      DEV_YAML,
      edit(
        edit(DEV_YAML, "internalDomain: smn-app-mesh-ecs.internal", "internalDomain: telemetry.internal"),
        "    deadLetterQueue: true\n",
        "",
      ),
    );
    expect(result.filter((f) => f.startsWith("MF901"))).toEqual([
      "MF901 high 6:17 internalDomain aws_service_discovery_private_dns_namespace.cloud-map_namespace_87AC1188: replaced: every service's DNS name and Service Connect registration lives in this namespace",
      "MF901 high 16:1 services aws_sqs_queue.dead-letters_queue_20205199: removed: the dead letters waiting in it are lost",
    ]);
  });

  it("raise a wider ingress and an internet-facing load balancer at the service's ingress, and a widened IAM policy at the field that asked for it", () => {
    const open = edit(
      edit(STAGING_YAML, "allowedCidrs: [10.0.0.0/8]", "allowedCidrs: [0.0.0.0/0]\n      scheme: internet-facing"),
      "subnetIds: [subnet-0b1c2d3e4f5a60701, subnet-0b1c2d3e4f5a60702]",
      "subnetIds: [subnet-0b1c2d3e4f5a60701, subnet-0b1c2d3e4f5a60702]\n  publicSubnetIds: [subnet-0b1c2d3e4f5a60709]",
    );
    expect(riskLines(STAGING_YAML, open, envFile("staging"))).toEqual([
      expect.stringMatching(
        /^MF909 medium \d+:\d+ services\.data-ingestion\.ingress\.allowedCidrs aws_vpc_security_group_ingress_rule\.data-ingestion-ingress_allowed-0_83A523DD: admits 0\.0\.0\.0\/0 on port 443 \(was 10\.0\.0\.0\/8 on port 443\)$/,
      ),
      expect.stringMatching(
        /^MF910 high \d+:\d+ services\.data-ingestion\.ingress\.scheme aws_lb\.data-ingestion-ingress_load-balancer_3113D137: load balancer staging-smn-app-mesh-ecs-552334 faces the internet$/,
      ),
    ]);
    const widened = riskLines(
      DEV_YAML,
      edit(DEV_YAML, "    desiredCount: 1\n    timeout: 65s", "    desiredCount: 1\n    deadLetterQueue: true\n    timeout: 65s"),
    );
    expect(widened).toEqual([
      "MF911 medium 32:22 services.data-processing.deadLetterQueue aws_iam_role_policy.data-processing-iam_task-policy_2D650741: traces-mesh-dead-letters: statement [Sid=DeadLetters] is new, allowing actions sqs:SendMessage and resources ${aws_sqs_queue.dead-letters_queue_20205199.arn}",
    ]);
  });

  it("raise a backend a service did not call before, and the new caller its group admits, at its backends entry", () => {
    const after = edit(DEV_YAML, "    timeout: 65s\n    route:", "    timeout: 65s\n    backends: [data-ingestion]\n    route:");
    expect(riskLines(DEV_YAML, after)).toEqual([
      "MF924 low 33:16 services.data-processing.backends[0] aws_vpc_security_group_ingress_rule.data-ingestion-security-group_from-data-processing_4154AA23: dev-smn-app-mesh-ecs-data-ingestion now admits port 3000 from data-processing's tasks (security group dev-smn-app-mesh-ecs-data-processing): a new caller; only what is in that group gets in, not a network",
      "MF913 low 33:16 services.data-processing.backends[0] aws_ecs_task_definition.data-processing-task_definition_38843276: data-processing now calls data-ingestion (DATA_INGESTION_URL): its failures and latency reach data-processing's clients",
    ]);
  });

  it("raise a provider switch with AWS's blue/green steps, at mesh.provider", () => {
    const sc = edit(
      DEV_YAML,
      "  provider: appmesh\n  egress: DROP_ALL\n  envoy:\n    image: 840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod\n",
      "  provider: service-connect\n",
    );
    expect(riskLines(DEV_YAML, sc).filter((f) => f.startsWith("MF901"))).toEqual([
      "MF901 high 11:13 mesh.provider aws_appmesh_mesh.mesh_A3114631: removed: every virtual node, router, route and service lives in it",
    ]);
    expect(riskLines(DEV_YAML, sc)[0]).toBe(
      'MF912 high 11:13 mesh.provider: App Mesh → Service Connect: an ECS service cannot be in two meshes at once, so applying this in place drops traffic while tasks are replaced; AWS recommends blue/green: deploy a copy of the environment under a new name on the new provider, shift traffic to it, then remove the old one (README: "Deploying", moving an environment off App Mesh)',
    );
  });

  it("stay silent on an ordinary change", () => {
    expect(riskLines(DEV_YAML, edit(DEV_YAML, "logRetentionDays: 7", "logRetentionDays: 14"))).toEqual([]);
  });
});
