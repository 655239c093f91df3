/**
 * The same services on ECS Service Connect: what the stack holds, what it must not hold (nothing only App
 * Mesh needs), and that moving an environment changes no name, port, DNS name, size or count.
 */
import { describe, expect, it } from "vitest";
import { loadEnvironments } from "../../src/environments";
import { DEV_YAML, ENVS, edit, resolve } from "../helpers";
import { type Json, one, ref, resources, synthStack } from "../stack-helpers";

const TO_SERVICE_CONNECT = [
  "  provider: appmesh\n  egress: DROP_ALL\n  envoy:\n    image: 840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod\n",
  "  provider: service-connect\n",
] as const;
const scYaml = edit(DEV_YAML, ...TO_SERVICE_CONNECT);
const sc = synthStack(resolve(scYaml));
const appmesh = synthStack(resolve(DEV_YAML));
const named = (name: string) => (r: Json) => r.name === name;
const service = (stack: Json, name: string) => one(stack, "aws_ecs_service", named(`dev-smn-app-mesh-ecs-${name}`));

describe("a Service Connect stack", () => {
  it("makes the namespace the cluster's Service Connect default", () => {
    const ns = one(sc, "aws_service_discovery_private_dns_namespace");
    expect(one(sc, "aws_ecs_cluster").service_connect_defaults).toEqual({
      namespace: ref("aws_service_discovery_private_dns_namespace", ns, "arn"),
    });
  });

  it("gives each ECS service one Service Connect service: its named port, its own discovery name, the App Mesh DNS name, the listener timeout, proxy logs", () => {
    const ns = one(sc, "aws_service_discovery_private_dns_namespace");
    const logs = one(sc, "aws_cloudwatch_log_group", named("/ecs/dev-smn-app-mesh-ecs/data-processing"));
    expect(service(sc, "data-processing").service_connect_configuration).toEqual({
      // The proxies' access logs, set by override (provider 6.34.0; the bindings are 6.25.0's): see "Scaling and alarms".
      access_log_configuration: { format: "JSON", include_query_parameters: "DISABLED" },
      enabled: true,
      namespace: ref("aws_service_discovery_private_dns_namespace", ns, "arn"),
      service: [
        {
          port_name: "data-processing",
          discovery_name: "data-processing",
          client_alias: { port: 3000, dns_name: "data-processing.dev.smn-app-mesh-ecs.internal" },
          timeout: { per_request_timeout_seconds: 65 },
        },
      ],
      log_configuration: {
        log_driver: "awslogs",
        options: {
          "awslogs-group": ref("aws_cloudwatch_log_group", logs, "name"),
          "awslogs-region": "eu-west-1",
          "awslogs-stream-prefix": "service-connect",
        },
      },
    });
  });

  it("registers nothing itself in Cloud Map: ECS creates the discovery_name service, a second one would collide", () => {
    expect(resources(sc, "aws_service_discovery_service")).toEqual([]);
    for (const name of ["data-ingestion", "data-processing"]) expect(service(sc, name).service_registries).toBeUndefined();
  });

  it("holds nothing only App Mesh needs: no mesh, nodes, routers, routes, Envoy, proxy configuration or App Mesh permission", () => {
    expect(Object.keys(sc.resource).filter((t) => t.startsWith("aws_appmesh"))).toEqual([]);
    for (const task of resources(sc, "aws_ecs_task_definition")) {
      expect(task.proxy_configuration).toBeUndefined();
      expect(task.container_definitions).not.toMatch(/envoy|APPMESH/i);
    }
    for (const policy of resources(sc, "aws_iam_role_policy")) expect(policy.policy).not.toContain("appmesh:");
    expect(Object.keys(sc.output).sort()).toEqual([
      "alarm_topic_arn",
      "cluster_name",
      "dashboard_url",
      "dead_letter_queue_url",
      "namespace",
      "services",
    ]);
  });

  it("creates a caller's ECS service after the backends it calls, whose endpoints its tasks must find at start", () => {
    const processing = service(sc, "data-processing");
    expect(service(sc, "data-ingestion").depends_on).toContain(`aws_ecs_service.${processing.id}`);
    expect(processing.depends_on.some((d: string) => d.startsWith("aws_ecs_service."))).toBe(false);
    expect(service(appmesh, "data-ingestion").depends_on.some((d: string) => d.startsWith("aws_ecs_service."))).toBe(false);
  });

  it("keeps the security group and its rules as under App Mesh: the proxy listens on the container port", () => {
    const rules = (stack: Json) =>
      resources(stack, "aws_vpc_security_group_ingress_rule").map(({ from_port, to_port, ip_protocol }) => ({
        from_port,
        to_port,
        ip_protocol,
      }));
    expect(rules(sc)).toEqual(rules(appmesh));
  });

  it("raises the idle timeout with a per-request timeout above Service Connect's 5-minute default, so the request is not cut", () => {
    const long = synthStack(
      resolve(
        edit(edit(scYaml, "    timeout: 65s\n    route:", "    timeout: 10m\n    route:"), "      timeout: 65s\n", "      timeout: 10m\n"),
      ),
    );
    expect(service(long, "data-processing").service_connect_configuration.service[0].timeout).toEqual({
      per_request_timeout_seconds: 600,
      idle_timeout_seconds: 600,
    });
  });
});

describe("the dead-letter queue", () => {
  const queue = one(sc, "aws_sqs_queue");

  it("is one SQS queue per environment, encrypted, keeping messages 14 days, reachable over TLS only", () => {
    expect(queue).toMatchObject({
      name: "dev-smn-app-mesh-ecs-dead-letters",
      message_retention_seconds: 1_209_600,
      sqs_managed_sse_enabled: true,
    });
    const policy = JSON.parse(one(sc, "aws_sqs_queue_policy").policy);
    expect(policy.Statement).toEqual([
      {
        Sid: "TlsOnly",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "sqs:*",
        Resource: ref("aws_sqs_queue", queue, "arn"),
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  const deadLetterAlarm = (stack: Json) =>
    one(stack, "aws_cloudwatch_metric_alarm", (a) => a.alarm_name === "dev-smn-app-mesh-ecs-dead-letters-visible");

  it("alarms as soon as a message is visible", () => {
    expect(deadLetterAlarm(sc)).toMatchObject({
      alarm_name: "dev-smn-app-mesh-ecs-dead-letters-visible",
      namespace: "AWS/SQS",
      metric_name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: ref("aws_sqs_queue", queue, "name") },
      threshold: 0,
      comparison_operator: "GreaterThanThreshold",
    });
  });

  it("notifies the environment's alarm topic when one is given", () => {
    const topic = "arn:aws:sns:eu-west-1:123456789012:alerts";
    const stack = synthStack(resolve(edit(scYaml, "logRetentionDays: 7", `logRetentionDays: 7\nalarmTopicArn: ${topic}`)));
    const alarm = deadLetterAlarm(stack);
    expect([alarm.alarm_actions, alarm.ok_actions]).toEqual([[topic], [topic]]);
    expect(resources(stack, "aws_sns_topic")).toEqual([]);
  });

  it("notifies the topic meshform makes when none is given", () => {
    const topic = one(sc, "aws_sns_topic");
    expect(topic.name).toBe("dev-smn-app-mesh-ecs-alarms");
    expect(deadLetterAlarm(sc).alarm_actions).toEqual([ref("aws_sns_topic", topic, "arn")]);
  });

  it("lets only the services that use it send to it, and only send, and tells them its URL", () => {
    const taskPolicy = (name: string) =>
      JSON.parse(one(sc, "aws_iam_role_policy", (p) => p.id.startsWith(`${name}-iam_task-policy`)).policy);
    expect(taskPolicy("data-ingestion").Statement).toContainEqual({
      Sid: "DeadLetters",
      Effect: "Allow",
      Action: "sqs:SendMessage",
      Resource: ref("aws_sqs_queue", queue, "arn"),
    });
    expect(JSON.stringify(taskPolicy("data-processing"))).not.toContain("sqs:");
    const [app] = JSON.parse(
      one(sc, "aws_ecs_task_definition", (t) => t.family === "dev-smn-app-mesh-ecs-data-ingestion").container_definitions,
    );
    expect(app.environment).toContainEqual({ name: "DEAD_LETTER_QUEUE_URL", value: ref("aws_sqs_queue", queue, "url") });
  });

  it("does not exist when no service uses it", () => {
    const without = synthStack(resolve(edit(scYaml, "    deadLetterQueue: true\n", "")));
    expect(resources(without, "aws_sqs_queue")).toEqual([]);
    expect(without.output.dead_letter_queue_url).toBeUndefined();
  });
});

describe("moving an environment between providers", () => {
  it("keeps every name, port, DNS name, size and count: only how services find each other changes", () => {
    const summary = (stack: Json) => ({
      ecs: resources(stack, "aws_ecs_service")
        .map((s) => ({
          name: s.name,
          count: s.desired_count,
          subnets: s.network_configuration.subnets,
          public: s.network_configuration.assign_public_ip,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      tasks: resources(stack, "aws_ecs_task_definition")
        .map((t) => ({
          family: t.family,
          cpu: t.cpu,
          memory: t.memory,
          port: JSON.parse(t.container_definitions)[0].portMappings[0].containerPort,
        }))
        .sort((a, b) => a.family.localeCompare(b.family)),
      dns: Object.values(stack.output.services.value as Record<string, Json>).map((s) => s.dns_name),
      urls: JSON.parse(
        one(stack, "aws_ecs_task_definition", (t) => t.family.endsWith("data-ingestion")).container_definitions,
      )[0].environment.filter((e: Json) => e.name.endsWith("_URL") && e.name !== "DEAD_LETTER_QUEUE_URL"),
      repositories: resources(stack, "aws_ecr_repository")
        .map((r) => r.name)
        .sort(),
      logs: resources(stack, "aws_cloudwatch_log_group")
        .map((g) => [g.name, g.retention_in_days])
        .sort(),
      roles: resources(stack, "aws_iam_role")
        .map((r) => r.name)
        .sort(),
      namespace: one(stack, "aws_service_discovery_private_dns_namespace").name,
      cluster: one(stack, "aws_ecs_cluster").name,
    });
    expect(summary(sc)).toEqual(summary(appmesh));
    expect(summary(sc).urls).toEqual([{ name: "DATA_PROCESSING_URL", value: "http://data-processing.dev.smn-app-mesh-ecs.internal:3000" }]);
  });

  it("has fixtures on every provider: staging and prod on Service Connect, qa (the seeds' traffic management) on VPC Lattice, dev (the article) on App Mesh", () => {
    const envs = Object.fromEntries(loadEnvironments(ENVS).environments.map((e) => [e.name, e.mesh.provider]));
    expect(envs).toEqual({ dev: "appmesh", prod: "service-connect", qa: "vpc-lattice", staging: "service-connect" });
  });
});
