/**
 * A VPC Lattice stack: the service network, a Lattice service per called service with its target groups, health
 * checks, listener and rules, ECS registering each version's tasks, the auth policies naming exactly the callers'
 * task roles, the security groups admitting Lattice, and what the callers are told.
 */
import { describe, expect, it } from "vitest";
import { DEV_YAML, edit, resolve } from "../../helpers";
import { type Json, one, ref, resources, synthStack } from "../../stack-helpers";
import { LATTICE_FILE, LATTICE_YAML } from "./lattice-yaml";

const stack = synthStack(resolve(LATTICE_YAML, LATTICE_FILE));
const named = (name: string) => (r: Json) => r.name === name;
const latticeService = (svc: string) => one(stack, "aws_vpclattice_service", named(`shop-lattice-${svc}`));
const targetGroup = (name: string) => one(stack, "aws_vpclattice_target_group", named(`shop-lattice-${name}`));
const tg = (name: string) => ref("aws_vpclattice_target_group", targetGroup(name), "id");
const listenerOf = (svc: string) =>
  one(stack, "aws_vpclattice_listener", (l) => l.service_identifier === ref("aws_vpclattice_service", latticeService(svc), "id"));
const taskRole = (svc: string) => ref("aws_iam_role", one(stack, "aws_iam_role", named(`shop-lattice-${svc}-task`)), "arn");
const ecsService = (name: string) => one(stack, "aws_ecs_service", named(`shop-lattice-${name}`));
const containers = (family: string) =>
  JSON.parse(one(stack, "aws_ecs_task_definition", (t) => t.family === `shop-lattice-${family}`).container_definitions);
const env = (family: string) =>
  Object.fromEntries((containers(family)[0].environment as { name: string; value: string }[]).map((v) => [v.name, v.value]));

describe("a VPC Lattice stack", () => {
  it("joins the VPC to a service network that authorizes every call by IAM, and logs its requests to the environment's log group", () => {
    const network = one(stack, "aws_vpclattice_service_network");
    expect(network).toMatchObject({ name: "shop-lattice", auth_type: "AWS_IAM" });
    expect(one(stack, "aws_vpclattice_service_network_vpc_association")).toMatchObject({
      service_network_identifier: ref("aws_vpclattice_service_network", network, "id"),
      vpc_identifier: "vpc-0123456789abcdef0",
    });
    const logs = one(stack, "aws_cloudwatch_log_group", named("/vpc-lattice/shop-lattice"));
    expect(logs.retention_in_days).toBe(30); // the longest of the services' (web keeps 30, the others 14)
    expect(one(stack, "aws_vpclattice_access_log_subscription")).toMatchObject({
      resource_identifier: ref("aws_vpclattice_service_network", network, "arn"),
      destination_arn: ref("aws_cloudwatch_log_group", logs, "arn"),
    });
  });

  it("gives each called service a Lattice service (AWS_IAM) in the network, and none to a service nothing calls", () => {
    expect(resources(stack, "aws_vpclattice_service").map((s) => [s.name, s.auth_type])).toEqual([
      ["shop-lattice-api", "AWS_IAM"],
      ["shop-lattice-worker", "AWS_IAM"],
    ]);
    expect(resources(stack, "aws_vpclattice_service_network_service_association").map((a) => a.service_identifier)).toEqual([
      ref("aws_vpclattice_service", latticeService("api"), "id"),
      ref("aws_vpclattice_service", latticeService("worker"), "id"),
    ]);
  });

  it("makes an IP target group per version, with the service's health check on its path and port", () => {
    expect(resources(stack, "aws_vpclattice_target_group").map((t) => t.name)).toEqual([
      "shop-lattice-api-v1",
      "shop-lattice-api-v2",
      "shop-lattice-worker",
    ]);
    expect(targetGroup("api-v2")).toMatchObject({
      type: "IP",
      config: {
        port: 3000,
        protocol: "HTTP",
        protocol_version: "HTTP1",
        vpc_identifier: "vpc-0123456789abcdef0",
        ip_address_type: "IPV4",
        health_check: {
          enabled: true,
          protocol: "HTTP",
          protocol_version: "HTTP1",
          port: 3000,
          path: "/ready",
          health_check_interval_seconds: 10,
          health_check_timeout_seconds: 4,
          healthy_threshold_count: 3,
          unhealthy_threshold_count: 4,
          matcher: { value: "200" },
        },
      },
    });
    // HTTP/2 tasks: the target group speaks HTTP/2, and its health check (never gRPC's) is turned on explicitly.
    expect(targetGroup("worker").config).toMatchObject({
      protocol_version: "HTTP2",
      health_check: { enabled: true, protocol_version: "HTTP2" },
    });
  });

  it("listens on HTTPS 443, the last catch-all route as the default action with its weights", () => {
    expect(listenerOf("api")).toMatchObject({
      name: "https",
      protocol: "HTTPS",
      port: 443,
      default_action: {
        forward: [
          {
            target_groups: [
              { target_group_identifier: tg("api-v1"), weight: 90 },
              { target_group_identifier: tg("api-v2"), weight: 10 },
            ],
          },
        ],
      },
    });
    expect(listenerOf("worker").default_action).toEqual({
      forward: [{ target_groups: [{ target_group_identifier: tg("worker"), weight: 100 }] }],
    });
  });

  it("turns every other route into a rule: its priority, its header, path and method matches (case-sensitive), its weights", () => {
    const listener = listenerOf("api");
    const rules = resources(stack, "aws_vpclattice_listener_rule")
      .map(({ id: _id, "//": _meta, ...r }) => r)
      .sort((a, b) => a.priority - b.priority);
    const common = {
      service_identifier: ref("aws_vpclattice_service", latticeService("api"), "id"),
      listener_identifier: ref("aws_vpclattice_listener", listener, "listener_id"),
    };
    expect(rules).toEqual([
      {
        ...common,
        name: "route-beta",
        priority: 10,
        match: {
          http_match: {
            header_matches: [
              { name: "x-beta-user", case_sensitive: true, match: { exact: "true" } },
              { name: "x-tenant", case_sensitive: true, match: { prefix: "acme-" } },
            ],
          },
        },
        action: { forward: { target_groups: [{ target_group_identifier: tg("api-v2"), weight: 100 }] } },
      },
      {
        ...common,
        name: "route-orders",
        priority: 20,
        match: { http_match: { method: "POST", path_match: { case_sensitive: true, match: { exact: "/orders" } } } },
        action: {
          forward: {
            target_groups: [
              { target_group_identifier: tg("api-v1"), weight: 50 },
              { target_group_identifier: tg("api-v2"), weight: 50 },
            ],
          },
        },
      },
      {
        ...common,
        name: "route-legacy",
        priority: 30,
        match: { http_match: { path_match: { case_sensitive: true, match: { prefix: "/legacy" } } } },
        action: { forward: { target_groups: [{ target_group_identifier: tg("api-v1"), weight: 100 }] } },
      },
    ]);
  });

  it("answers 404 where no rule takes a request and no route takes every request, as App Mesh does", () => {
    const text = edit(LATTICE_YAML, "      - { name: main, priority: 40, to: { v1: 90, v2: 10 }, timeout: 20s }\n", "");
    const s = synthStack(resolve(text, LATTICE_FILE));
    const api = one(s, "aws_vpclattice_service", named("shop-lattice-api"));
    const listener = one(s, "aws_vpclattice_listener", (l) => l.service_identifier === ref("aws_vpclattice_service", api, "id"));
    expect(listener.default_action).toEqual({ fixed_response: { status_code: 404 } });
  });

  it("has ECS register each version's tasks in its target group, with the infrastructure role, by the named port", () => {
    const role = one(stack, "aws_iam_role", named("shop-lattice-lattice"));
    const lattice = (tgName: string) => [
      {
        role_arn: ref("aws_iam_role", role, "arn"),
        target_group_arn: ref("aws_vpclattice_target_group", targetGroup(tgName), "arn"),
        port_name: tgName.startsWith("api") ? "api" : "worker",
      },
    ];
    expect(ecsService("api-v1").vpc_lattice_configurations).toEqual(lattice("api-v1"));
    expect(ecsService("api-v2").vpc_lattice_configurations).toEqual(lattice("api-v2"));
    expect(ecsService("worker").vpc_lattice_configurations).toEqual(lattice("worker"));
    expect(ecsService("web").vpc_lattice_configurations).toBeUndefined();
    expect(containers("api-v1")[0].portMappings).toEqual([{ containerPort: 3000, protocol: "tcp", name: "api" }]);
    // Nothing of the other providers: no Cloud Map registration, no Service Connect, no sidecar but tracing.
    for (const s of resources(stack, "aws_ecs_service"))
      expect([s.service_registries, s.service_connect_configuration]).toEqual([undefined, undefined]);
    expect(resources(stack, "aws_service_discovery_service")).toEqual([]);
    expect(containers("api-v1").map((c: Json) => c.name)).toEqual(["app", "otel-collector"]);
    // ECS uses the role when it creates the services: they wait for its policy.
    const grant = one(stack, "aws_iam_role_policy_attachment", (a) => a.role === ref("aws_iam_role", role, "name"));
    expect(ecsService("worker").depends_on).toContain(`aws_iam_role_policy_attachment.${grant.id}`);
  });

  it("trusts ECS with the infrastructure role, with AWS's managed policy for VPC Lattice", () => {
    const role = one(stack, "aws_iam_role", named("shop-lattice-lattice"));
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Sid: "AllowAccessToECSForInfrastructureManagement",
        Effect: "Allow",
        Principal: { Service: "ecs.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ]);
    expect(one(stack, "aws_iam_role_policy_attachment", (a) => a.role === ref("aws_iam_role", role, "name")).policy_arn).toBe(
      "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForVpcLattice",
    );
  });

  it("lets into each Lattice service exactly the task roles of the services naming it in backends, and the network only those", () => {
    const policy = (resourceArn: string) =>
      JSON.parse(one(stack, "aws_vpclattice_auth_policy", (p) => p.resource_identifier === resourceArn).policy).Statement;
    const arn = (svc: string) => ref("aws_vpclattice_service", latticeService(svc), "arn");
    expect(policy(arn("api"))).toEqual([
      {
        Sid: "CallersNamingItInBackends",
        Effect: "Allow",
        Principal: { AWS: taskRole("web") },
        Action: "vpc-lattice-svcs:Invoke",
        Resource: `${arn("api")}*`,
      },
    ]);
    const worker = policy(arn("worker"));
    expect(worker).toHaveLength(1);
    expect(new Set(worker[0].Principal.AWS)).toEqual(new Set([taskRole("web"), taskRole("api")]));
    expect(worker[0].Resource).toBe(`${arn("worker")}*`);
    const network = policy(ref("aws_vpclattice_service_network", one(stack, "aws_vpclattice_service_network"), "arn"));
    expect(network).toHaveLength(1);
    expect(new Set(network[0].Principal.AWS)).toEqual(new Set([taskRole("web"), taskRole("api")]));
    expect(new Set(network[0].Resource)).toEqual(new Set([`${arn("api")}*`, `${arn("worker")}*`]));
    expect(resources(stack, "aws_vpclattice_auth_policy")).toHaveLength(3);
  });

  it("lets each caller's task role invoke its backends' Lattice services, and nothing else of Lattice", () => {
    const statementsOf = (svc: string) =>
      JSON.parse(
        one(
          stack,
          "aws_iam_role_policy",
          (p) => p.role === ref("aws_iam_role", one(stack, "aws_iam_role", named(`shop-lattice-${svc}-task`)), "id"),
        ).policy,
      ).Statement as Json[];
    const invoke = (svc: string) => statementsOf(svc).filter((s) => String(s.Action).startsWith("vpc-lattice"));
    const arn = (svc: string) => `${ref("aws_vpclattice_service", latticeService(svc), "arn")}*`;
    expect(invoke("web")).toEqual([
      {
        Sid: "InvokeBackends",
        Effect: "Allow",
        Action: "vpc-lattice-svcs:Invoke",
        Resource: expect.arrayContaining([arn("api"), arn("worker")]),
      },
    ]);
    expect(invoke("api")).toEqual([{ Sid: "InvokeBackends", Effect: "Allow", Action: "vpc-lattice-svcs:Invoke", Resource: arn("worker") }]);
    expect(invoke("worker")).toEqual([]);
  });

  it("admits Lattice's managed prefix list on a called service's port, and no caller's group directly", () => {
    const prefixList = stack.data.aws_ec2_managed_prefix_list["lattice-prefix-list"];
    expect(prefixList.name).toBe("com.amazonaws.eu-west-1.vpc-lattice");
    const group = (svc: string) => ref("aws_security_group", one(stack, "aws_security_group", named(`shop-lattice-${svc}`)), "id");
    const ingress = (svc: string) =>
      resources(stack, "aws_vpc_security_group_ingress_rule")
        .filter((r) => r.security_group_id === group(svc))
        .map(({ id: _id, "//": _m, security_group_id: _g, ...r }) => r);
    expect(ingress("worker")).toEqual([
      {
        prefix_list_id: "${data.aws_ec2_managed_prefix_list.lattice-prefix-list.id}",
        ip_protocol: "tcp",
        from_port: 3001,
        to_port: 3001,
        description: "port 3001 from VPC Lattice (its managed prefix list)",
      },
    ]);
    expect(ingress("web")).toEqual([]);
    // Calls leave through HTTPS (Lattice's listeners), not to the backends' groups.
    const egress = resources(stack, "aws_vpc_security_group_egress_rule").filter((r) => r.security_group_id === group("web"));
    expect(egress.map((r) => [r.from_port, r.cidr_ipv4 ?? r.referenced_security_group_id])).toEqual([[443, "0.0.0.0/0"]]);
  });

  it("tells each caller its backends' Lattice URLs and how to sign, and outputs each Lattice domain name", () => {
    const domain = (svc: string) => `\${aws_vpclattice_service.${latticeService(svc).id}.dns_entry[0].domain_name}`;
    expect(env("web")).toMatchObject({
      API_URL: `https://${domain("api")}`,
      API_SIGV4_SERVICE: "vpc-lattice-svcs",
      API_SIGV4_REGION: "eu-west-1",
      WORKER_URL: `https://${domain("worker")}`,
      WORKER_SIGV4_SERVICE: "vpc-lattice-svcs",
      WORKER_MAX_RETRIES: "2",
      WORKER_PER_TRY_TIMEOUT_MS: "10000",
      WORKER_TIMEOUT_MS: "30000",
    });
    expect(Object.keys(env("worker")).filter((k) => k.includes("SIGV4"))).toEqual([]);
    const services = stack.output.services.value;
    expect(services.api.lattice_dns_name).toBe(domain("api"));
    expect(services.worker.lattice_dns_name).toBe(domain("worker"));
    expect(services.web.lattice_dns_name).toBeUndefined();
  });
});

describe("moving dev from App Mesh to VPC Lattice", () => {
  const TO_LATTICE = edit(
    edit(
      edit(
        DEV_YAML,
        "  provider: appmesh\n  egress: DROP_ALL\n  envoy:\n    image: 840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod\n",
        "  provider: vpc-lattice\n  movedFrom: appmesh\n",
      ),
      "    timeout: 70s\n",
      "",
    ),
    "    timeout: 65s\n    route:",
    "    route:",
  );
  const [before, after] = [synthStack(resolve(DEV_YAML)), synthStack(resolve(TO_LATTICE))];
  const ecs = (stack: Json) => resources(stack, "aws_ecs_service").map((e) => [e.name, e.desired_count]);
  const tasks = (stack: Json) => resources(stack, "aws_ecs_task_definition").map((t) => [t.family, t.cpu, t.memory]);

  it("keeps names, counts and sizes, gives the app Envoy's share, and forgets App Mesh's resources rather than delete them", () => {
    expect(ecs(after)).toEqual(ecs(before));
    expect(tasks(after)).toEqual(tasks(before));
    const app = (stack: Json, family: string) =>
      JSON.parse(one(stack, "aws_ecs_task_definition", (t) => t.family === family).container_definitions)[0];
    expect(app(after, "dev-smn-app-mesh-ecs-data-processing").cpu - app(before, "dev-smn-app-mesh-ecs-data-processing").cpu).toBe(128);
    expect(Object.keys(after.resource).filter((t) => t.startsWith("aws_appmesh"))).toEqual([]);
    expect(after.removed.map((r: Json) => r.from.split(".")[0]).sort()).toEqual(
      Object.entries(before.resource as Json)
        .filter(([t]) => t.startsWith("aws_appmesh"))
        .flatMap(([t, byName]) => Object.keys(byName).map(() => t))
        .sort(),
    );
    // Only data-processing is called: one Lattice service, its target group and auth policy, and the network's.
    expect(resources(after, "aws_vpclattice_service").map((l) => l.name)).toEqual(["dev-smn-app-mesh-ecs-data-processing"]);
    expect(resources(after, "aws_vpclattice_auth_policy")).toHaveLength(2);
  });
});
