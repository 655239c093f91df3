/**
 * examples/four-tier: Yelb (github.com/mreferre/yelb) on Service Connect, as its README describes it. It validates
 * with only the warnings it acknowledges, and its stack holds what each feature promises: the public images as
 * written, each runtime opt-out, the database's secrets as references its execution role alone may read, the app
 * server's permission, a security group per tier admitting only the tier before it, and the load balancer's rules.
 * Then real Terraform plans it offline.
 */
import { describe, expect, it } from "vitest";
import { TLS_POLICY } from "../../src/constructs/ingress";
import { type Json, one, ref, resources } from "../stack-helpers";
import { mirror, skipped, titled } from "../terraform/real-terraform";
import { expectedUnverified, judged, loadExample, planExample, resourceCount, stackOf } from "./example-helpers";

const { environment, diagnostics } = loadExample("four-tier");
const { stack, task, containers, statements, logGroupArn, rules } = stackOf(environment);
const app = (service: string) => containers(service).find((c) => c.name === "app")!;

const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo/yelb/db-Ab12Cd";
const PARAMETER = "arn:aws:ssm:eu-west-1:123456789012:parameter/demo/yelb/db-user";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/4f3e2d1c-0b9a-4876-a5b4-c3d2e1f0a9b8";
const SERVICES = ["ui", "appserver", "db", "redis-server"];

describe("examples/four-tier: Yelb on Service Connect", () => {
  it("is one environment, demo, with no errors and no warning it does not acknowledge with its reason", () => {
    expect(environment.name).toBe("demo");
    expect(judged(diagnostics)).toEqual([
      "MF305 ingress.allowedCidrs[0]: a public voting page: anyone on the internet may reach it, over HTTPS only",
      "MF801 services.yelb-ui.user: nginx's master process binds port 80, which needs root; its workers run as the image's nginx user",
      "MF802 services.yelb-ui.readonlyRootFilesystem: startup.sh edits /etc/nginx/conf.d/default.conf in place and writes /proxycfg.txt at the root before nginx starts: a volume at either path would hide the image's files",
      "MF801 services.yelb-db.user: the postgres image's entrypoint starts as root to give its volumes to the postgres user (uid 999), then runs PostgreSQL as that user (gosu)",
    ]);
  });

  it("runs each public image as written, with no repository of the environment's own and nothing to pull from ECR", () => {
    expect(SERVICES.map((s) => app(s).image)).toEqual([
      "docker.io/mreferre/yelb-ui:0.10",
      "docker.io/mreferre/yelb-appserver:0.7",
      "docker.io/mreferre/yelb-db:0.6",
      "docker.io/library/redis:7.4.11",
    ]);
    expect(resources(stack, "aws_ecr_repository")).toEqual([]);
    // The readiness gate runs each image's own health check: the same image, the app's user, a read-only root.
    for (const s of SERVICES) {
      const gate = containers(s).find((c) => c.name === "app-ready")!;
      expect([gate.image, gate.user, gate.readonlyRootFilesystem]).toEqual([app(s).image, app(s).user, true]);
    }
    // No tracing collector: Yelb sends no traces.
    expect(SERVICES.map((s) => containers(s).map((c) => c.name))).toEqual(SERVICES.map(() => ["app", "app-ready"]));
    expect(SERVICES.map((s) => task(s).runtime_platform)).toEqual(
      SERVICES.map(() => ({ operating_system_family: "LINUX", cpu_architecture: "X86_64" })),
    );
  });

  it("runs each container as the image needs, each opt-out as written: users, root filesystems, writable paths, commands", () => {
    const runtime = (s: string) => {
      const { user, readonlyRootFilesystem, command, mountPoints, stopTimeout } = app(s);
      return { user, readonlyRootFilesystem, command, mountPoints, stopTimeout, volumes: task(s).volume };
    };
    expect(runtime("ui")).toEqual({ user: "0", readonlyRootFilesystem: false });
    expect(runtime("appserver")).toEqual({
      user: "1001",
      readonlyRootFilesystem: true,
      command: ["ruby", "/app/yelb-appserver.rb", "-o", "0.0.0.0"],
      mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
      volumes: [{ name: "tmp" }],
    });
    expect(runtime("db")).toEqual({
      user: "0",
      readonlyRootFilesystem: true,
      stopTimeout: 60,
      mountPoints: [
        { sourceVolume: "var-lib-postgresql-data", containerPath: "/var/lib/postgresql/data", readOnly: false },
        { sourceVolume: "var-run-postgresql", containerPath: "/var/run/postgresql", readOnly: false },
        { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
      ],
      volumes: [{ name: "var-lib-postgresql-data" }, { name: "var-run-postgresql" }, { name: "tmp" }],
    });
    expect(runtime("redis-server")).toEqual({
      user: "999:999",
      readonlyRootFilesystem: true,
      command: ["redis-server", "--save", "", "--appendonly", "no"],
    });
  });

  it("checks each container with a command its image can run, the database's after a longer start", () => {
    expect(SERVICES.map((s) => [app(s).healthCheck.command, app(s).healthCheck.startPeriod])).toEqual([
      [["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/80"], 10],
      [["CMD-SHELL", "curl -fsS http://127.0.0.1:4567/api/hostname > /dev/null || exit 1"], 10],
      [["CMD-SHELL", "pg_isready -h 127.0.0.1 -p 5432 -U postgres || exit 1"], 60],
      [["CMD-SHELL", "redis-cli -h 127.0.0.1 ping | grep -q PONG"], 10],
    ]);
  });

  it("tells the UI and the app server where the next tier is, in the variables Yelb reads", () => {
    const variables = (s: string) => Object.fromEntries((app(s).environment as Json[]).map((v) => [v.name, v.value]));
    expect(variables("ui")).toMatchObject({ YELB_APPSERVER_ENDPOINT: "http://yelb-appserver.demo.yelb.internal:4567" });
    expect(variables("appserver")).toMatchObject({
      RACK_ENV: "custom",
      YELB_DB_SERVER_ENDPOINT: "yelb-db.demo.yelb.internal",
      REDIS_SERVER_ENDPOINT: "redis-server.demo.yelb.internal",
    });
    // The names they reach are the backends' Service Connect client aliases.
    const aliases = resources(stack, "aws_ecs_service").map((s) => s.service_connect_configuration.service[0].client_alias);
    expect(aliases).toEqual(
      expect.arrayContaining([
        { dns_name: "yelb-appserver.demo.yelb.internal", port: 4567 },
        { dns_name: "yelb-db.demo.yelb.internal", port: 5432 },
        { dns_name: "redis-server.demo.yelb.internal", port: 6379 },
      ]),
    );
  });

  it("speaks TCP to PostgreSQL and Redis (no appProtocol) and HTTP to the UI and the app server", () => {
    expect(SERVICES.map((s) => app(s).portMappings)).toEqual([
      [{ containerPort: 80, protocol: "tcp", name: "yelb-ui", appProtocol: "http" }],
      [{ containerPort: 4567, protocol: "tcp", name: "yelb-appserver", appProtocol: "http" }],
      [{ containerPort: 5432, protocol: "tcp", name: "yelb-db" }],
      [{ containerPort: 6379, protocol: "tcp", name: "redis-server" }],
    ]);
  });

  it("gives the database its password and user as references ECS resolves at start, and no container either in plain text", () => {
    expect(app("db").secrets).toEqual([
      { name: "POSTGRES_PASSWORD", valueFrom: `${SECRET}:password::` },
      { name: "POSTGRES_USER", valueFrom: PARAMETER },
    ]);
    for (const s of SERVICES) {
      for (const c of containers(s)) {
        expect((c.environment ?? []).map((v: Json) => v.name)).not.toContain("POSTGRES_PASSWORD");
        expect(JSON.stringify(c.environment ?? [])).not.toMatch(/secretsmanager|:parameter\//);
        if (s !== "db" || c.name !== "app") expect(c.secrets).toBeUndefined();
      }
    }
  });

  it("lets the database's execution role read exactly its secret and parameter, and decrypt with the key named; the others only write their logs", () => {
    expect(statements("demo-yelb-db-exec")).toEqual([
      { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn("db")}:*` },
      { Sid: "Secrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET },
      { Sid: "Parameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: PARAMETER },
      { Sid: "SecretsKeys", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY },
    ]);
    for (const s of ["ui", "appserver", "redis-server"]) {
      expect(statements(`demo-yelb-${s}-exec`)).toEqual([
        { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn(s)}:*` },
      ]);
    }
  });

  it("gives the app server's task role the permission written, on the named parameter path, and the other tiers none", () => {
    expect(statements("demo-yelb-appserver-task")).toEqual([
      {
        Sid: "App1",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:GetParametersByPath"],
        Resource: ["arn:aws:ssm:eu-west-1:123456789012:parameter/demo/yelb", "arn:aws:ssm:eu-west-1:123456789012:parameter/demo/yelb/*"],
      },
    ]);
    for (const s of ["ui", "db", "redis-server"]) expect(statements(`demo-yelb-${s}-task`)).toEqual([]);
  });

  it("isolates each tier: PostgreSQL and Redis admit only the app server, the app server the UI and the load balancer, the UI the load balancer", () => {
    expect(rules("ingress", "demo-yelb-db")).toEqual([["demo-yelb-appserver", 5432]]);
    expect(rules("ingress", "demo-yelb-redis-server")).toEqual([["demo-yelb-appserver", 6379]]);
    expect(rules("ingress", "demo-yelb-appserver")).toEqual([
      ["demo-yelb-ui", 4567],
      ["demo-yelb-web", 4567],
    ]);
    expect(rules("ingress", "demo-yelb-ui")).toEqual([["demo-yelb-web", 80]]);
    // Out: each tier to the next one's port, and HTTPS for AWS's APIs; the database and Redis to nothing else.
    expect(rules("egress", "demo-yelb-ui")).toEqual([
      ["0.0.0.0/0", 443],
      ["demo-yelb-appserver", 4567],
    ]);
    expect(rules("egress", "demo-yelb-appserver")).toEqual([
      ["0.0.0.0/0", 443],
      ["demo-yelb-db", 5432],
      ["demo-yelb-redis-server", 6379],
    ]);
    expect(rules("egress", "demo-yelb-db")).toEqual([["0.0.0.0/0", 443]]);
    expect(rules("egress", "demo-yelb-redis-server")).toEqual([["0.0.0.0/0", 443]]);
    // The load balancer: HTTPS and the redirect from anywhere (acknowledged), out to the two routed tiers only.
    expect(rules("ingress", "demo-yelb-web")).toEqual([
      ["0.0.0.0/0", 80],
      ["0.0.0.0/0", 443],
    ]);
    expect(rules("egress", "demo-yelb-web")).toEqual([
      ["demo-yelb-appserver", 4567],
      ["demo-yelb-ui", 80],
    ]);
  });

  it("puts an internet-facing load balancer in the public subnets, HTTPS with the certificate, HTTP redirected", () => {
    const lb = one(stack, "aws_lb");
    expect(lb).toMatchObject({
      name: "demo-yelb-web",
      load_balancer_type: "application",
      internal: false,
      subnets: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
    });
    const listeners = resources(stack, "aws_lb_listener").map((l) => [l.port, l.protocol, l.certificate_arn, l.ssl_policy]);
    expect(listeners.sort((a, b) => a[0] - b[0])).toEqual([
      [80, "HTTP", undefined, undefined],
      [443, "HTTPS", CERTIFICATE, TLS_POLICY],
    ]);
    expect(one(stack, "aws_lb_listener", (l) => l.port === 80).default_action).toEqual([
      { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } },
    ]);
  });

  it("sends /api/* to the app server and every other path to the UI, in that order, each to a target group in HTTP/1.1", () => {
    const https = ref(
      "aws_lb_listener",
      one(stack, "aws_lb_listener", (l) => l.port === 443),
      "arn",
    );
    const group = (name: string) => one(stack, "aws_lb_target_group", (t) => t.name === name);
    expect(resources(stack, "aws_lb_listener_rule").map((r) => [r.listener_arn, r.priority, r.condition, r.action])).toEqual([
      [
        https,
        1,
        [{ path_pattern: { values: ["/api/*"] } }],
        [{ type: "forward", target_group_arn: ref("aws_lb_target_group", group("demo-yelb-appserver-web"), "arn") }],
      ],
      [
        https,
        2,
        [{ path_pattern: { values: ["/*"] } }],
        [{ type: "forward", target_group_arn: ref("aws_lb_target_group", group("demo-yelb-ui-web"), "arn") }],
      ],
    ]);
    const shape = (t: Json) => [t.name, t.port, t.protocol, t.protocol_version, t.target_type, t.health_check.path, t.health_check.matcher];
    expect(resources(stack, "aws_lb_target_group").map(shape)).toEqual([
      ["demo-yelb-appserver-web", 4567, "HTTP", "HTTP1", "ip", "/api/hostname", "200-399"],
      ["demo-yelb-ui-web", 80, "HTTP", "HTTP1", "ip", "/", "200-399"],
    ]);
    // ECS registers the two routed tiers' app containers; the database and Redis are in no target group.
    const registered = resources(stack, "aws_ecs_service").map((s) => [s.name, s.load_balancer?.[0]?.container_port]);
    expect(registered).toEqual(
      expect.arrayContaining([
        ["demo-yelb-ui", 80],
        ["demo-yelb-appserver", 4567],
        ["demo-yelb-db", undefined],
        ["demo-yelb-redis-server", undefined],
      ]),
    );
  });

  it("keeps one database and one Redis task (their data lives in the task) and scales the UI and the app server", () => {
    const service = (name: string) =>
      ref(
        "aws_ecs_service",
        one(stack, "aws_ecs_service", (s) => s.name === name),
        "name",
      );
    const targets = resources(stack, "aws_appautoscaling_target").map((t) => [
      String(t.resource_id).split("/").pop(),
      t.min_capacity,
      t.max_capacity,
    ]);
    expect(targets).toEqual(
      expect.arrayContaining([
        [service("demo-yelb-ui"), 2, 4],
        [service("demo-yelb-appserver"), 2, 4],
      ]),
    );
    expect(targets).toHaveLength(2);
    const counts = resources(stack, "aws_ecs_service").map((s) => [s.name, s.desired_count]);
    expect(counts).toEqual(
      expect.arrayContaining([
        ["demo-yelb-db", 1],
        ["demo-yelb-redis-server", 1],
      ]),
    );
  });
});

describe.skipIf(skipped !== undefined)(titled("examples/four-tier, planned by real Terraform offline"), { timeout: 180_000 }, () => {
  it("plans every resource of the stack with no problem", async () => {
    if ("reason" in mirror) return;
    const reports = await planExample("four-tier", "demo", stack);
    expect(reports.map((r) => ({ ...r, unverified: [...r.unverified].sort() }))).toEqual([
      {
        name: "demo",
        ok: true,
        plan: { add: resourceCount(stack), change: 0, destroy: 0 },
        problems: [],
        unverified: expectedUnverified(stack, mirror.version),
      },
    ]);
  });
});
