/**
 * examples/grpc-arm64: OpenTelemetry Collector agents calling a gateway Collector over gRPC on Graviton, as its
 * README describes it. It validates with only the warnings it acknowledges, and its stack holds what each feature
 * promises: ARM64 tasks, the gateway's logs through its FireLens log router, gRPC end to end (Service Connect's
 * appProtocol, the load balancer's target group), the gateway's one S3 permission and its security group admitting
 * only its caller and the load balancer. Then real Terraform plans it offline.
 */
import { describe, expect, it } from "vitest";
import { TLS_POLICY } from "../../src/constructs/ingress";
import { type Json, one, ref, resources } from "../stack-helpers";
import { mirror, skipped, titled } from "../terraform/real-terraform";
import { expectedUnverified, judged, loadExample, planExample, resourceCount, stackOf } from "./example-helpers";

const { environment, diagnostics } = loadExample("grpc-arm64");
const { stack, task, containers, statements, logGroupArn, logGroupName, rules } = stackOf(environment);
const container = (service: string, name: string) => containers(service).find((c) => c.name === name)!;

const COLLECTOR = "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.157.0";
const FLUENT_BIT = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2.20241008";
const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/7e6d5c4b-3a29-4187-b6a5-f4e3d2c1b0a9";

describe("examples/grpc-arm64: a gRPC gateway and its caller on Graviton, logs through FireLens", () => {
  it("is one environment, ops, with no errors and no warning it does not acknowledge with its reason", () => {
    expect(environment.name).toBe("ops");
    expect(judged(diagnostics)).toEqual([
      "MF806 services.gateway.image: the image is FROM scratch, with no shell or probe for ECS to run; the load balancer checks it over gRPC",
      "MF801 services.gateway.sidecars.log-router: FireLens requires its log router to run as root (ECS refuses another user for it); the image is AWS's, pinned",
      "MF806 services.agent.image: the image is FROM scratch, with no shell or probe for ECS to run",
    ]);
  });

  it("runs both tasks on ARM64 (Graviton), from public multi-architecture images pinned by tag", () => {
    for (const s of ["gateway", "agent"]) {
      expect(task(s).runtime_platform).toEqual({ operating_system_family: "LINUX", cpu_architecture: "ARM64" });
    }
    expect(containers("gateway").map((c) => [c.name, c.image])).toEqual([
      ["app", COLLECTOR],
      ["log-router", FLUENT_BIT],
    ]);
    // No tracing collector (the apps are collectors), no readiness gate (no health check command to run).
    expect(containers("agent").map((c) => [c.name, c.image])).toEqual([["app", COLLECTOR]]);
    expect(resources(stack, "aws_ecr_repository")).toEqual([]);
  });

  it("runs the collectors as the image's own user on a read-only root, configured from a variable by their command", () => {
    for (const s of ["gateway", "agent"]) {
      const { user, readonlyRootFilesystem, command, healthCheck } = container(s, "app");
      expect({ user, readonlyRootFilesystem, command, healthCheck }).toEqual({
        user: "10001",
        readonlyRootFilesystem: true,
        command: [`--config=env:${s.toUpperCase()}_CONFIG`],
        healthCheck: undefined,
      });
    }
  });

  it("sends the gateway's logs through its FireLens log router to the service's log group, the router started first", () => {
    const app = container("gateway", "app");
    expect(app.logConfiguration).toEqual({
      logDriver: "awsfirelens",
      options: {
        Name: "cloudwatch_logs",
        region: "eu-west-1",
        log_group_name: logGroupName("gateway"),
        log_stream_prefix: "app/",
        auto_create_group: "false",
      },
    });
    expect(app.dependsOn).toEqual([{ containerName: "log-router", condition: "START" }]);
    expect(container("gateway", "log-router")).toEqual({
      name: "log-router",
      image: FLUENT_BIT,
      essential: true,
      cpu: 64,
      memoryReservation: 128,
      user: "0",
      readonlyRootFilesystem: true,
      firelensConfiguration: { type: "fluentbit" },
      logConfiguration: {
        logDriver: "awslogs",
        options: { "awslogs-group": logGroupName("gateway"), "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "log-router" },
      },
    });
    // The agent keeps the default: awslogs to its own log group.
    expect(container("agent", "app").logConfiguration.logDriver).toBe("awslogs");
    // The task's size holds the router: 1024 CPU units = 704 for the app + 64 for the router + 256 left to the proxy.
    expect([
      task("gateway").cpu,
      container("gateway", "app").cpu,
      task("gateway").memory,
      container("gateway", "app").memoryReservation,
    ]).toEqual(["1024", 704, "2048", 1856]);
  });

  it("speaks gRPC to the gateway (Service Connect's appProtocol) and tells the agent where it is", () => {
    expect(container("gateway", "app").portMappings).toEqual([
      { containerPort: 4317, protocol: "tcp", name: "gateway", appProtocol: "grpc" },
    ]);
    expect(container("agent", "app").portMappings).toEqual([{ containerPort: 4318, protocol: "tcp", name: "agent", appProtocol: "http" }]);
    const alias = one(stack, "aws_ecs_service", (s) => s.name === "ops-telemetry-gateway").service_connect_configuration.service[0]
      .client_alias;
    expect(alias).toEqual({ dns_name: "gateway.ops.telemetry.internal", port: 4317 });
    const variables = Object.fromEntries((container("agent", "app").environment as Json[]).map((v) => [v.name, v.value]));
    // The agent's configuration exports to the gateway's client alias, which meshform also gives it host and port apart.
    expect(variables.AGENT_CONFIG).toContain(`otlp_grpc:\n    endpoint: ${alias.dns_name}:${alias.port}\n`);
    expect([variables.GATEWAY_HOST, variables.GATEWAY_PORT]).toEqual([alias.dns_name, String(alias.port)]);
  });

  it("lets the gateway's task role write to its archive prefix and to its log group (the router's writes), and nothing else", () => {
    expect(statements("ops-telemetry-gateway-task")).toEqual([
      {
        Sid: "FireLensLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: `${logGroupArn("gateway")}:*`,
      },
      { Sid: "App1", Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::example-telemetry-archive/otlp/*" },
    ]);
    expect(statements("ops-telemetry-agent-task")).toEqual([]);
    // No secrets, no image in ECR: the execution roles write their logs only.
    for (const s of ["gateway", "agent"]) {
      expect(statements(`ops-telemetry-${s}-exec`)).toEqual([
        { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn(s)}:*` },
      ]);
    }
  });

  it("admits the gateway's port from its caller and its load balancer only, and the agent's from no one", () => {
    expect(rules("ingress", "ops-telemetry-gateway")).toEqual([
      ["ops-telemetry-agent", 4317],
      ["ops-telemetry-web", 4317],
    ]);
    expect(rules("ingress", "ops-telemetry-agent")).toEqual([]);
    expect(rules("egress", "ops-telemetry-agent")).toEqual([
      ["0.0.0.0/0", 443],
      ["ops-telemetry-gateway", 4317],
    ]);
    expect(rules("egress", "ops-telemetry-gateway")).toEqual([["0.0.0.0/0", 443]]);
    expect(rules("ingress", "ops-telemetry-web")).toEqual([
      ["10.0.0.0/8", 80],
      ["10.0.0.0/8", 443],
    ]);
    expect(rules("egress", "ops-telemetry-web")).toEqual([["ops-telemetry-gateway", 4317]]);
  });

  it("puts an internal HTTPS load balancer in the private subnets, sending OTLP's gRPC paths to a gRPC target group", () => {
    expect(one(stack, "aws_lb")).toMatchObject({
      name: "ops-telemetry-web",
      internal: true,
      subnets: ["subnet-0b1c2d3e4f5a60701", "subnet-0b1c2d3e4f5a60702", "subnet-0b1c2d3e4f5a60703"],
    });
    const https = one(stack, "aws_lb_listener", (l) => l.port === 443);
    expect([https.protocol, https.certificate_arn, https.ssl_policy]).toEqual(["HTTPS", CERTIFICATE, TLS_POLICY]);
    const group = one(stack, "aws_lb_target_group");
    expect(resources(stack, "aws_lb_listener_rule").map((r) => [r.listener_arn, r.priority, r.condition, r.action])).toEqual([
      [
        ref("aws_lb_listener", https, "arn"),
        1,
        [{ path_pattern: { values: ["/opentelemetry.proto.collector.*"] } }],
        [{ type: "forward", target_group_arn: ref("aws_lb_target_group", group, "arn") }],
      ],
    ]);
    // gRPC: ELB's own health check path, which a gRPC server answers UNIMPLEMENTED (12).
    expect(group).toMatchObject({
      name: "ops-telemetry-gateway-web",
      port: 4317,
      protocol: "HTTP",
      protocol_version: "GRPC",
      target_type: "ip",
      health_check: { path: "/AWS.ALB/healthcheck", matcher: "0,12", port: "traffic-port", protocol: "HTTP" },
    });
    expect(one(stack, "aws_ecs_service", (s) => s.name === "ops-telemetry-gateway").load_balancer).toEqual([
      { target_group_arn: ref("aws_lb_target_group", group, "arn"), container_name: "app", container_port: 4317 },
    ]);
  });
});

describe.skipIf(skipped !== undefined)(titled("examples/grpc-arm64, planned by real Terraform offline"), { timeout: 180_000 }, () => {
  it("plans every resource of the stack with no problem", async () => {
    if ("reason" in mirror) return;
    const reports = await planExample("grpc-arm64", "ops", stack);
    expect(reports.map((r) => ({ ...r, unverified: [...r.unverified].sort() }))).toEqual([
      {
        name: "ops",
        ok: true,
        plan: { add: resourceCount(stack), change: 0, destroy: 0 },
        problems: [],
        unverified: expectedUnverified(stack, mirror.version),
      },
    ]);
  });
});
