/** The ingress: a Network Load Balancer that admits the allowed blocks only, in front of one service's tasks. */
import { describe, expect, it } from "vitest";
import { elbName } from "../../src/config/names";
import { TLS_POLICY } from "../../src/constructs/ingress";
import { resolve } from "../helpers";
import { one, ref, resources, synthStack } from "../stack-helpers";
import { CERTIFICATE, trafficYaml } from "../traffic-yaml";

const withIngress = (ingress: string, provider = "service-connect") =>
  synthStack(resolve(trafficYaml({ provider, api: `    ingress: ${ingress}` })));

describe("Ingress", () => {
  const stack = withIngress(`{ certificate: ${CERTIFICATE}, allowedCidrs: [10.0.0.0/8, 172.16.0.0/12] }`);
  const lb = one(stack, "aws_lb");
  const group = one(stack, "aws_security_group", (g) => g.name === "dev-shop-api-ingress");
  const tasks = one(stack, "aws_security_group", (g) => g.name === "dev-shop-api");
  const targetGroup = one(stack, "aws_lb_target_group");
  const listener = one(stack, "aws_lb_listener");
  const api = one(stack, "aws_ecs_service", (s) => s.name === "dev-shop-api");

  it("is an internal Network Load Balancer in the environment's subnets, wearing its own security group", () => {
    expect(lb).toMatchObject({
      name: "dev-shop-api",
      load_balancer_type: "network",
      internal: true,
      subnets: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
      security_groups: [ref("aws_security_group", group, "id")],
    });
  });

  it("admits each allowed block on the listener's port and nothing else, and reaches only the service's tasks on their port", () => {
    const rulesOf = (type: string, g: Record<string, unknown>) =>
      resources(stack, type)
        .filter((r) => r.security_group_id === ref("aws_security_group", g, "id"))
        .map(({ cidr_ipv4, referenced_security_group_id, from_port, to_port }) => ({
          cidr_ipv4,
          referenced_security_group_id,
          from_port,
          to_port,
        }));
    expect(rulesOf("aws_vpc_security_group_ingress_rule", group)).toEqual([
      { cidr_ipv4: "10.0.0.0/8", referenced_security_group_id: undefined, from_port: 443, to_port: 443 },
      { cidr_ipv4: "172.16.0.0/12", referenced_security_group_id: undefined, from_port: 443, to_port: 443 },
    ]);
    expect(rulesOf("aws_vpc_security_group_egress_rule", group)).toEqual([
      { cidr_ipv4: undefined, referenced_security_group_id: ref("aws_security_group", tasks, "id"), from_port: 3000, to_port: 3000 },
    ]);
    expect(rulesOf("aws_vpc_security_group_ingress_rule", tasks)).toContainEqual({
      cidr_ipv4: undefined,
      referenced_security_group_id: ref("aws_security_group", group, "id"),
      from_port: 3000,
      to_port: 3000,
    });
  });

  it("terminates TLS 1.2/1.3 with the certificate and forwards to the tasks by IP, health checked on the service's path", () => {
    expect(listener).toMatchObject({
      load_balancer_arn: ref("aws_lb", lb, "arn"),
      port: 443,
      protocol: "TLS",
      certificate_arn: CERTIFICATE,
      ssl_policy: TLS_POLICY,
      default_action: [{ type: "forward", target_group_arn: ref("aws_lb_target_group", targetGroup, "arn") }],
    });
    expect(targetGroup).toMatchObject({
      port: 3000,
      protocol: "TCP",
      target_type: "ip",
      deregistration_delay: "30",
      health_check: {
        protocol: "HTTP",
        port: "traffic-port",
        path: "/health-check",
        interval: 5,
        timeout: 2,
        healthy_threshold: 2,
        unhealthy_threshold: 2,
      },
    });
  });

  it("registers the service's app container, after the listener and the rules exist", () => {
    expect(api.load_balancer).toEqual([
      { target_group_arn: ref("aws_lb_target_group", targetGroup, "arn"), container_name: "app", container_port: 3000 },
    ]);
    expect(api.health_check_grace_period_seconds).toBe(60);
    expect(api.depends_on).toContain(`aws_lb_listener.${listener.id}`);
    expect(api.network_configuration.assign_public_ip).toBe(false);
    expect(stack.output.services.value.api.ingress_dns_name).toBe(ref("aws_lb", lb, "dns_name"));
    expect(one(stack, "aws_ecs_service", (s) => s.name === "dev-shop-worker").load_balancer).toBeUndefined();
  });

  it("passes TCP through without a certificate, and faces the internet only when asked", () => {
    const plain = withIngress("{ port: 8443, allowedCidrs: [10.0.0.0/8] }", "appmesh");
    expect(one(plain, "aws_lb_listener")).toMatchObject({ port: 8443, protocol: "TCP" });
    expect(one(plain, "aws_lb_listener").certificate_arn).toBeUndefined();
    // ELB guide: an internet-facing load balancer needs public subnets (issue 15, row 12).
    const open = synthStack(
      resolve(
        trafficYaml({
          api: `    ingress: { scheme: internet-facing, certificate: ${CERTIFICATE}, allowedCidrs: [203.0.113.0/24] }`,
        }).replace(
          "subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1] }",
          "subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1], publicSubnetIds: [subnet-0123456789abcdef9] }",
        ),
      ),
    );
    expect(one(open, "aws_lb")).toMatchObject({ internal: false, subnets: ["subnet-0123456789abcdef9"] });
    expect(one(plain, "aws_lb").subnets).toEqual(["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]);
  });
});

describe("Ingress through an App Mesh gateway", () => {
  const stack = withIngress("{ port: 8443, allowedCidrs: [10.0.0.0/8] }", "appmesh");
  const idOf = (name: string) =>
    ref(
      "aws_security_group",
      one(stack, "aws_security_group", (g) => g.name === name),
      "id",
    );
  const [lb, gateway, api, worker] = ["dev-shop-api-ingress", "dev-shop-api-gateway", "dev-shop-api", "dev-shop-worker"].map(idOf);
  const from = (group: string) =>
    resources(stack, "aws_vpc_security_group_ingress_rule")
      .filter((r) => r.security_group_id === group)
      .map((r) => [r.referenced_security_group_id ?? r.cidr_ipv4, r.from_port]);

  it("lets the load balancer reach the gateway's own group, and the gateway only the service's port", () => {
    expect(from(gateway!)).toEqual([[lb, 3000]]);
    expect(
      resources(stack, "aws_vpc_security_group_egress_rule")
        .filter((r) => r.security_group_id === gateway)
        .map((r) => [r.referenced_security_group_id ?? r.cidr_ipv4, r.from_port]),
    ).toEqual([
      [api, 3000],
      ["0.0.0.0/0", 443],
    ]);
    expect(one(stack, "aws_ecs_service", (s) => s.name === "dev-shop-api-gateway").network_configuration.security_groups).toEqual([
      gateway,
    ]);
  });

  it("admits into the service only its gateway, and into its backend only the service", () => {
    expect(from(api!)).toEqual([[gateway, 3000]]);
    expect(from(worker!)).toEqual([[api, 3001]]);
  });
});

describe("elbName", () => {
  it("keeps names of up to 32 characters, and ends longer ones in a hash so that they stay distinct", () => {
    expect(elbName("dev-shop-api")).toBe("dev-shop-api");
    const a = elbName("staging-smn-app-mesh-ecs-data-ingestion");
    const b = elbName("staging-smn-app-mesh-ecs-data-processing");
    expect(Math.max(a.length, b.length)).toBeLessThanOrEqual(32);
    expect(a).toMatch(/^staging-smn-app-mesh-ecs-[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
  });
});

describe("Ingress under a blue-green, linear or canary deployment (Service Connect)", () => {
  const stack = synthStack(
    resolve(
      trafficYaml({
        api: `    ingress: { certificate: ${CERTIFICATE}, allowedCidrs: [10.0.0.0/8] }\n    deployment: { strategy: blue-green, bakeTime: 5m }`,
      }),
    ),
  );
  const [blue, green] = ["dev-shop-api", "dev-shop-api-green"].map((name) => one(stack, "aws_lb_target_group", (t) => t.name === name));
  const listener = one(stack, "aws_lb_listener");
  const role = one(stack, "aws_iam_role", (r) => r.name === "dev-shop-lb-deploy");

  it("adds a second target group like the first, for ECS to shift the listener to", () => {
    const { name: _b, ...blueRest } = blue!;
    const { name: _g, ...greenRest } = green!;
    expect({ ...greenRest, id: undefined, "//": undefined }).toEqual({ ...blueRest, id: undefined, "//": undefined });
    // ECS rewrites the listener's default action during a deployment: Terraform must not put it back.
    expect(listener.lifecycle).toEqual({ ignore_changes: ["default_action"] });
  });

  it("tells the ECS service the alternate group, the production listener and the role ECS shifts traffic with", () => {
    const api = one(stack, "aws_ecs_service", (s) => s.name === "dev-shop-api");
    expect(api.load_balancer).toEqual([
      {
        target_group_arn: ref("aws_lb_target_group", blue!, "arn"),
        container_name: "app",
        container_port: 3000,
        advanced_configuration: {
          alternate_target_group_arn: ref("aws_lb_target_group", green!, "arn"),
          production_listener_rule: ref("aws_lb_listener", listener, "arn"),
          role_arn: ref("aws_iam_role", role, "arn"),
        },
      },
    ]);
    const attachment = one(stack, "aws_iam_role_policy_attachment");
    expect(attachment.policy_arn).toBe("arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "ecs.amazonaws.com" });
    expect(api.depends_on).toContain(`aws_iam_role_policy_attachment.${attachment.id}`);
  });

  it("adds none of it to a rolling deployment", () => {
    const rolling = withIngress(`{ certificate: ${CERTIFICATE}, allowedCidrs: [10.0.0.0/8] }`);
    expect(resources(rolling, "aws_lb_target_group")).toHaveLength(1);
    expect(one(rolling, "aws_lb_listener").lifecycle).toBeUndefined();
    expect(resources(rolling, "aws_iam_role_policy_attachment")).toEqual([]);
  });
});
