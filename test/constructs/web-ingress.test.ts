/**
 * The environment's Application Load Balancer, synthesized from the four-tier sample: what it admits, where it
 * sends each host and path, how it checks and registers the services, and that nothing else reaches the tiers
 * behind them.
 */
import { describe, expect, it } from "vitest";
import { TLS_POLICY } from "../../src/constructs/ingress";
import { resolve } from "../helpers";
import { type Json, one, ref, resources, synthStack } from "../stack-helpers";
import { CERTIFICATE } from "../traffic-yaml";
import { WEB_FILE, webYaml } from "../web-yaml";

const stack = synthStack(resolve(webYaml({ api: "    protocol: grpc" }), WEB_FILE));
const lb = one(stack, "aws_lb");
const groupId = (name: string) =>
  ref(
    "aws_security_group",
    one(stack, "aws_security_group", (g) => g.name === name),
    "id",
  );
const [web, ui, api, db, cache] = ["web-shop-web", "web-shop-ui", "web-shop-api", "web-shop-db", "web-shop-cache"].map(groupId);
const targetGroup = (name: string) => one(stack, "aws_lb_target_group", (t) => t.name === name);
const rulesOf = (type: string, group: string) =>
  resources(stack, type)
    .filter((r) => r.security_group_id === group)
    .map((r) => [r.referenced_security_group_id ?? r.cidr_ipv4 ?? r.prefix_list_id, r.from_port]);

describe("the environment's load balancer", () => {
  it("is an internet-facing Application Load Balancer in the public subnets that drops invalid headers", () => {
    expect(lb).toMatchObject({
      name: "web-shop-web",
      load_balancer_type: "application",
      internal: false,
      subnets: ["subnet-0123456789abcdef8", "subnet-0123456789abcdef9"],
      security_groups: [web],
      drop_invalid_header_fields: true,
      idle_timeout: 95,
    });
  });

  it("admits the allowed blocks on 443 and 80 only, and reaches only the routed services' ports in their groups", () => {
    expect(rulesOf("aws_vpc_security_group_ingress_rule", web!).sort()).toEqual([
      ["198.51.100.0/24", 443],
      ["198.51.100.0/24", 80],
      ["203.0.113.0/24", 443],
      ["203.0.113.0/24", 80],
    ]);
    expect(rulesOf("aws_vpc_security_group_egress_rule", web!)).toEqual([
      [api, 3000],
      [ui, 8080],
    ]);
  });

  it("leaves each tier reachable only from the one before it: the database and the cache from the app server alone", () => {
    expect(rulesOf("aws_vpc_security_group_ingress_rule", ui!)).toEqual([[web, 8080]]);
    expect(rulesOf("aws_vpc_security_group_ingress_rule", api!).sort()).toEqual(
      [
        [ui, 3000],
        [web, 3000],
      ].sort(),
    );
    expect(rulesOf("aws_vpc_security_group_ingress_rule", db!)).toEqual([[api, 5432]]);
    expect(rulesOf("aws_vpc_security_group_ingress_rule", cache!)).toEqual([[api, 6379]]);
    // The database and the cache reach out to HTTPS only (AWS's APIs): no other tier.
    expect(rulesOf("aws_vpc_security_group_egress_rule", db!)).toEqual([["0.0.0.0/0", 443]]);
  });

  it("terminates HTTPS with the certificate (TLS 1.2 and 1.3), answers 404 where no rule matches, and redirects HTTP to HTTPS", () => {
    const https = one(stack, "aws_lb_listener", (l) => l.port === 443);
    expect(https).toMatchObject({
      load_balancer_arn: ref("aws_lb", lb, "arn"),
      protocol: "HTTPS",
      certificate_arn: CERTIFICATE,
      ssl_policy: TLS_POLICY,
      default_action: [
        { type: "fixed-response", fixed_response: { content_type: "text/plain", status_code: "404", message_body: "no route" } },
      ],
    });
    expect(one(stack, "aws_lb_listener", (l) => l.port === 80)).toMatchObject({
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
  });

  it("sends each host and path where the file says, in the order written", () => {
    const https = one(stack, "aws_lb_listener", (l) => l.port === 443);
    const rules = resources(stack, "aws_lb_listener_rule").map((r: Json) => ({
      listener: r.listener_arn,
      priority: r.priority,
      condition: r.condition,
      to: r.action[0].target_group_arn,
    }));
    expect(rules).toEqual([
      {
        listener: ref("aws_lb_listener", https, "arn"),
        priority: 1,
        condition: [{ host_header: { values: ["shop.example.com"] } }, { path_pattern: { values: ["/api/*"] } }],
        to: ref("aws_lb_target_group", targetGroup("web-shop-api-web"), "arn"),
      },
      {
        listener: ref("aws_lb_listener", https, "arn"),
        priority: 2,
        condition: [{ path_pattern: { values: ["/*"] } }],
        to: ref("aws_lb_target_group", targetGroup("web-shop-ui-web"), "arn"),
      },
    ]);
  });

  it("has a target group per service, by IP, in the service's protocol, health checked as it answers", () => {
    expect(targetGroup("web-shop-ui-web")).toMatchObject({
      port: 8080,
      protocol: "HTTP",
      protocol_version: "HTTP1",
      target_type: "ip",
      health_check: { path: "/health-check", matcher: "200-399", port: "traffic-port", protocol: "HTTP" },
    });
    // gRPC: ELB's own health check path, which a gRPC server answers UNIMPLEMENTED (12), or 0 for some servers.
    expect(targetGroup("web-shop-api-web")).toMatchObject({
      port: 3000,
      protocol_version: "GRPC",
      deregistration_delay: "90",
      health_check: { path: "/AWS.ALB/healthcheck", matcher: "0,12" },
    });
    expect(resources(stack, "aws_lb_target_group")).toHaveLength(2);
  });

  it("registers each routed service's app container, once its rule forwards to the target group", () => {
    const service = one(stack, "aws_ecs_service", (s) => s.name === "web-shop-ui");
    const group = targetGroup("web-shop-ui-web");
    expect(service.load_balancer).toEqual([
      { target_group_arn: ref("aws_lb_target_group", group, "arn"), container_name: "app", container_port: 8080 },
    ]);
    const rule = one(stack, "aws_lb_listener_rule", (r) => r.priority === 2);
    expect(service.depends_on).toContain(`aws_lb_listener_rule.${rule.id}`);
    expect(service.health_check_grace_period_seconds).toBe(60);
    expect(one(stack, "aws_ecs_service", (s) => s.name === "web-shop-db").load_balancer).toBeUndefined();
    expect(stack.output.load_balancer_dns_name.value).toBe(ref("aws_lb", lb, "dns_name"));
  });

  it("listens on plain HTTP only, internal, when it has no certificate", () => {
    const plain = synthStack(
      resolve(webYaml({ ingress: "ingress: { allowedCidrs: [10.0.0.0/8], rules: [{ path: /*, to: ui }] }" }), WEB_FILE),
    );
    expect(resources(plain, "aws_lb_listener").map((l) => [l.port, l.protocol])).toEqual([[80, "HTTP"]]);
    expect(one(plain, "aws_lb")).toMatchObject({
      internal: true,
      subnets: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
      idle_timeout: 60,
    });
  });
});

describe("the environment's load balancer under VPC Lattice", () => {
  it("registers a called service in its target group beside its Lattice target group", () => {
    let yaml = webYaml({ provider: "vpc-lattice" })
      .replace(/ {4}timeout: 90s\n/, "")
      .replace("backends: [db, cache]", "backends: []");
    yaml = `${yaml.slice(0, yaml.indexOf("  db:\n"))}imageTag: v1\n`;
    const stack = synthStack(resolve(yaml, WEB_FILE));
    const api = one(stack, "aws_ecs_service", (s) => s.name === "web-shop-api");
    expect(api.load_balancer).toEqual([
      expect.objectContaining({
        target_group_arn: ref(
          "aws_lb_target_group",
          one(stack, "aws_lb_target_group", (t) => t.name === "web-shop-api-web"),
          "arn",
        ),
      }),
    ]);
    expect(api.vpc_lattice_configurations).toEqual([expect.objectContaining({ port_name: "api" })]);
  });
});
