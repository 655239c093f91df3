/** The fixture environments (test/fixtures/envs), synthesized: every resource the reference system needs, with the article's values. */
import { beforeAll, describe, expect, it } from "vitest";
import { loadEnvironments } from "../../src/environments";
import { optionsOf } from "../../src/providers/appmesh/options";
import { DEV_YAML, ENVS, edit, resolve } from "../helpers";
import { type Json, one, ref, resources, synthStack } from "../stack-helpers";

const envs = Object.fromEntries(loadEnvironments(ENVS).environments.map((e) => [e.name, e]));
let dev: Json;
beforeAll(() => {
  dev = synthStack(envs.dev!);
});

const named = (name: string) => (r: Json) => r.name === name;
const containersOf = (stack: Json, family: string) =>
  JSON.parse(one(stack, "aws_ecs_task_definition", (t) => t.family === family).container_definitions) as Json[];

describe("dev stack: provider and state", () => {
  it("tags everything through the provider's default_tags", () => {
    expect(dev.provider.aws).toEqual([
      { region: "eu-west-1", default_tags: [{ tags: { Environment: "dev", Project: "smn-app-mesh-ecs", ManagedBy: "meshform" } }] },
    ]);
  });

  it("keeps local state at a relative path outside cdktf.out", () => {
    expect(dev.terraform.backend).toEqual({ local: { path: "../../../terraform.dev.tfstate" } });
  });

  it("uses the S3 backend with native locking where the config names a bucket", () => {
    const staging = synthStack(envs.staging!);
    expect(staging.terraform.backend).toEqual({
      s3: {
        bucket: "smn-app-mesh-ecs-terraform-state",
        key: "staging/meshform.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });
});

describe("dev stack: App Mesh", () => {
  it("creates the mesh with its egress filter", () => {
    const mesh = one(dev, "aws_appmesh_mesh");
    expect(mesh.name).toBe("dev-smn-app-mesh-ecs");
    expect(mesh.spec.egress_filter.type).toBe("DROP_ALL");
  });

  it("gives each virtual node a listener, timeout, health check, access log and discovery of ITSELF", () => {
    for (const [service, timeout] of [
      ["data-ingestion", 70],
      ["data-processing", 65],
    ] as const) {
      const node = one(dev, "aws_appmesh_virtual_node", named(`dev-smn-app-mesh-ecs-${service}-node`));
      const [listener] = node.spec.listener;
      expect(listener.port_mapping).toEqual({ port: 3000, protocol: "http" });
      expect(listener.timeout).toEqual({ http: { per_request: { unit: "s", value: timeout } } });
      expect(listener.health_check).toEqual({
        protocol: "http",
        path: "/health-check",
        port: 3000,
        interval_millis: 5000,
        timeout_millis: 2000,
        healthy_threshold: 2,
        unhealthy_threshold: 2,
      });
      expect(node.spec.service_discovery.aws_cloud_map.service_name).toBe(service);
      expect(node.spec.logging.access_log.file.path).toBe("/dev/stdout");
    }
  });

  it("lets data-ingestion call data-processing's virtual service, and nothing else", () => {
    const ingestion = one(dev, "aws_appmesh_virtual_node", named("dev-smn-app-mesh-ecs-data-ingestion-node"));
    const processingVs = one(dev, "aws_appmesh_virtual_service", named("data-processing.dev.smn-app-mesh-ecs.internal"));
    expect(ingestion.spec.backend).toEqual([
      { virtual_service: { virtual_service_name: ref("aws_appmesh_virtual_service", processingVs, "name") } },
    ]);
    const processing = one(dev, "aws_appmesh_virtual_node", named("dev-smn-app-mesh-ecs-data-processing-node"));
    expect(processing.spec.backend).toBeUndefined();
  });

  it("routes data-processing with the article's retry policy", () => {
    const route = one(dev, "aws_appmesh_route", named("dev-smn-app-mesh-ecs-data-processing-route"));
    const node = one(dev, "aws_appmesh_virtual_node", named("dev-smn-app-mesh-ecs-data-processing-node"));
    const router = one(dev, "aws_appmesh_virtual_router", named("dev-smn-app-mesh-ecs-data-processing-router"));
    expect(route.virtual_router_name).toBe(ref("aws_appmesh_virtual_router", router, "name"));
    expect(route.spec.priority).toBe(1);
    expect(route.spec.http_route).toEqual({
      match: { prefix: "/" },
      action: { weighted_target: [{ virtual_node: ref("aws_appmesh_virtual_node", node, "name"), weight: 100 }] },
      timeout: { per_request: { unit: "s", value: 65 } },
      retry_policy: {
        max_retries: 12,
        per_retry_timeout: { unit: "s", value: 5 },
        http_retry_events: ["gateway-error"],
        tcp_retry_events: ["connection-error"],
      },
    });
    expect(router.spec.listener).toEqual([{ port_mapping: { port: 3000, protocol: "http" } }]);
  });

  it("routes a service without a retry policy without one", () => {
    const route = one(dev, "aws_appmesh_route", named("dev-smn-app-mesh-ecs-data-ingestion-route"));
    expect(route.spec.http_route.retry_policy).toBeUndefined();
    expect(route.spec.http_route.timeout.per_request).toEqual({ unit: "s", value: 15 });
  });

  it("names virtual services by their DNS name and backs them by the router", () => {
    for (const service of ["data-ingestion", "data-processing"]) {
      const vs = one(dev, "aws_appmesh_virtual_service", named(`${service}.dev.smn-app-mesh-ecs.internal`));
      const router = one(dev, "aws_appmesh_virtual_router", named(`dev-smn-app-mesh-ecs-${service}-router`));
      expect(vs.spec.provider.virtual_router.virtual_router_name).toBe(ref("aws_appmesh_virtual_router", router, "name"));
    }
  });

  it("uses http2 routes and listeners for http2 services", () => {
    const env = resolve(
      edit(DEV_YAML, "  data-processing:\n    port: 3000\n", "  data-processing:\n    port: 3000\n    protocol: http2\n"),
    );
    const stack = synthStack(env);
    const route = one(stack, "aws_appmesh_route", named("dev-smn-app-mesh-ecs-data-processing-route"));
    expect(route.spec.http_route).toBeUndefined();
    expect(route.spec.http2_route.retry_policy.max_retries).toBe(12);
    const node = one(stack, "aws_appmesh_virtual_node", named("dev-smn-app-mesh-ecs-data-processing-node"));
    expect(node.spec.listener[0].timeout).toEqual({ http2: { per_request: { unit: "s", value: 65 } } });
  });
});

describe("dev stack: Cloud Map", () => {
  it("creates the private DNS namespace in the VPC", () => {
    const ns = one(dev, "aws_service_discovery_private_dns_namespace");
    expect(ns.name).toBe("dev.smn-app-mesh-ecs.internal");
    expect(ns.vpc).toBe("vpc-0a1b2c3d4e5f60718");
  });

  it("creates one discovery service per service: A record, TTL 10, multivalue, custom health check without the deprecated threshold", () => {
    const ns = one(dev, "aws_service_discovery_private_dns_namespace");
    const services = resources(dev, "aws_service_discovery_service");
    expect(services.map((s) => s.name).sort()).toEqual(["data-ingestion", "data-processing"]);
    for (const s of services) {
      expect(s.dns_config).toEqual({
        namespace_id: ref("aws_service_discovery_private_dns_namespace", ns, "id"),
        dns_records: [{ type: "A", ttl: 10 }],
        routing_policy: "MULTIVALUE",
      });
      expect(s.health_check_custom_config).toEqual({});
    }
  });
});

describe("dev stack: ECS", () => {
  it("creates the cluster with Container Insights and Fargate capacity providers", () => {
    const cluster = one(dev, "aws_ecs_cluster");
    expect(cluster.setting).toEqual([{ name: "containerInsights", value: "enabled" }]);
    const cp = one(dev, "aws_ecs_cluster_capacity_providers");
    expect(cp.capacity_providers).toEqual(["FARGATE", "FARGATE_SPOT"]);
    expect(cp.default_capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE", weight: 1, base: 1 }]);
  });

  it("creates immutable, scanned ECR repositories and log groups with retention", () => {
    for (const service of ["data-ingestion", "data-processing"]) {
      const repo = one(dev, "aws_ecr_repository", named(`dev-smn-app-mesh-ecs/${service}`));
      expect(repo.image_tag_mutability).toBe("IMMUTABLE");
      expect(repo.image_scanning_configuration).toEqual({ scan_on_push: true });
      const logs = one(dev, "aws_cloudwatch_log_group", named(`/ecs/dev-smn-app-mesh-ecs/${service}`));
      expect(logs.retention_in_days).toBe(7);
    }
  });

  it("defines Fargate tasks with the APPMESH proxy configuration", () => {
    const task = one(dev, "aws_ecs_task_definition", (t) => t.family === "dev-smn-app-mesh-ecs-data-ingestion");
    expect(task.requires_compatibilities).toEqual(["FARGATE"]);
    expect(task.network_mode).toBe("awsvpc");
    expect([task.cpu, task.memory]).toEqual(["512", "1024"]);
    expect(task.proxy_configuration).toEqual({
      type: "APPMESH",
      container_name: "envoy",
      properties: {
        AppPorts: "3000",
        EgressIgnoredIPs: "169.254.170.2,169.254.169.254",
        EgressIgnoredPorts: "22",
        IgnoredUID: "1337",
        ProxyEgressPort: "15001",
        ProxyIngressPort: "15000",
      },
    });
    expect(task.execution_role_arn).not.toBe(task.task_role_arn);
  });

  it("emits container definitions as a plain JSON string with Terraform references inside", () => {
    const task = one(dev, "aws_ecs_task_definition", (t) => t.family === "dev-smn-app-mesh-ecs-data-ingestion");
    expect(typeof task.container_definitions).toBe("string");
    expect(task.container_definitions).not.toContain("jsonencode");
    const [app, envoy, collector] = JSON.parse(task.container_definitions);
    const repo = one(dev, "aws_ecr_repository", named("dev-smn-app-mesh-ecs/data-ingestion"));
    const node = one(dev, "aws_appmesh_virtual_node", named("dev-smn-app-mesh-ecs-data-ingestion-node"));
    expect(app.image).toBe(`${ref("aws_ecr_repository", repo, "repository_url")}:v1`);
    expect(envoy.environment).toContainEqual({ name: "APPMESH_RESOURCE_ARN", value: ref("aws_appmesh_virtual_node", node, "arn") });
    expect(collector.name).toBe("otel-collector");
  });

  it("starts the app only once Envoy is healthy, with ECS's real key dependsOn", () => {
    for (const family of ["dev-smn-app-mesh-ecs-data-ingestion", "dev-smn-app-mesh-ecs-data-processing"]) {
      const [app, ...sidecars] = containersOf(dev, family);
      expect(app!.dependsOn).toEqual([{ containerName: "envoy", condition: "HEALTHY" }]);
      for (const c of [app!, ...sidecars]) expect(c).not.toHaveProperty("depends_on");
    }
  });

  it("tells data-ingestion where data-processing is, through the mesh", () => {
    const [app] = containersOf(dev, "dev-smn-app-mesh-ecs-data-ingestion");
    expect(app!.environment).toContainEqual({
      name: "DATA_PROCESSING_URL",
      value: "http://data-processing.dev.smn-app-mesh-ecs.internal:3000",
    });
    expect(app!.environment).toContainEqual({ name: "APP_PORT", value: "3000" });
  });

  it("sends every container's logs to the service's log group", () => {
    const logs = one(dev, "aws_cloudwatch_log_group", named("/ecs/dev-smn-app-mesh-ecs/data-processing"));
    for (const c of containersOf(dev, "dev-smn-app-mesh-ecs-data-processing")) {
      expect(c.logConfiguration.logDriver).toBe("awslogs");
      expect(c.logConfiguration.options["awslogs-group"]).toBe(ref("aws_cloudwatch_log_group", logs, "name"));
      expect(c.logConfiguration.options["awslogs-stream-prefix"]).toBe(c.name);
    }
  });

  it("runs services on Fargate in private subnets, without public IPs, registered in Cloud Map", () => {
    for (const service of ["data-ingestion", "data-processing"]) {
      const ecs = one(dev, "aws_ecs_service", named(`dev-smn-app-mesh-ecs-${service}`));
      const discovery = one(dev, "aws_service_discovery_service", named(service));
      const sg = one(dev, "aws_security_group", named(`dev-smn-app-mesh-ecs-${service}`));
      expect(ecs.network_configuration).toEqual({
        subnets: ["subnet-0a1b2c3d4e5f60701", "subnet-0a1b2c3d4e5f60702"],
        security_groups: [ref("aws_security_group", sg, "id")],
        assign_public_ip: false,
      });
      expect(ecs.service_registries).toEqual({ registry_arn: ref("aws_service_discovery_service", discovery, "arn") });
      expect(ecs.capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE", weight: 1, base: 1 }]);
      expect(ecs.desired_count).toBe(1);
      expect([ecs.deployment_minimum_healthy_percent, ecs.deployment_maximum_percent]).toEqual([100, 200]);
      expect(ecs.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    }
  });
});

describe("dev stack: IAM and network", () => {
  const policyOf = (name: string) => {
    const policy = one(dev, "aws_iam_role_policy", (p) => p.id.startsWith(name));
    expect(typeof policy.policy).toBe("string");
    return JSON.parse(policy.policy);
  };

  it("lets each task stream only its own virtual node's configuration", () => {
    const node = one(dev, "aws_appmesh_virtual_node", named("dev-smn-app-mesh-ecs-data-ingestion-node"));
    const doc = policyOf("data-ingestion-iam_task-policy");
    const appmesh = doc.Statement.filter((s: Json) => JSON.stringify(s.Action).includes("appmesh"));
    expect(appmesh).toEqual([
      {
        Sid: "AppMeshOwnNode",
        Effect: "Allow",
        Action: "appmesh:StreamAggregatedResources",
        Resource: ref("aws_appmesh_virtual_node", node, "arn"),
      },
    ]);
    expect(doc.Statement.find((s: Json) => s.Sid === "XRayWrite").Action).toContain("xray:PutTraceSegments");
  });

  it("limits the execution role to this service's images and log group", () => {
    const repo = one(dev, "aws_ecr_repository", named("dev-smn-app-mesh-ecs/data-ingestion"));
    const logs = one(dev, "aws_cloudwatch_log_group", named("/ecs/dev-smn-app-mesh-ecs/data-ingestion"));
    const doc = policyOf("data-ingestion-iam_execution-policy");
    const byId = Object.fromEntries(doc.Statement.map((s: Json) => [s.Sid, s]));
    expect(byId.EcrPull.Resource).toEqual([
      ref("aws_ecr_repository", repo, "arn"),
      "arn:aws:ecr:eu-west-1:840364872350:repository/aws-appmesh-envoy",
    ]);
    expect(byId.Logs.Resource).toBe(`${ref("aws_cloudwatch_log_group", logs, "arn")}:*`);
  });

  it("uses distinct execution and task roles, both assumable only by ECS tasks", () => {
    const roles = resources(dev, "aws_iam_role").filter((r) => r.name.includes("data-processing"));
    expect(roles.map((r) => r.name).sort()).toEqual([
      "dev-smn-app-mesh-ecs-data-processing-exec",
      "dev-smn-app-mesh-ecs-data-processing-task",
    ]);
    for (const role of roles) {
      const trust = JSON.parse(role.assume_role_policy);
      expect(trust.Statement[0].Principal).toEqual({ Service: "ecs-tasks.amazonaws.com" });
    }
  });

  it("gives each service a group of its own, admitting its port only from the services that call it", () => {
    const group = (service: string) =>
      ref("aws_security_group", one(dev, "aws_security_group", named(`dev-smn-app-mesh-ecs-${service}`)), "id");
    const ingress = resources(dev, "aws_vpc_security_group_ingress_rule");
    // data-ingestion has no caller, and this environment no load balancer: nothing gets into its tasks.
    expect(ingress).toEqual([
      expect.objectContaining({
        security_group_id: group("data-processing"),
        referenced_security_group_id: group("data-ingestion"),
        ip_protocol: "tcp",
        from_port: 3000,
        to_port: 3000,
      }),
    ]);
    expect(ingress.filter((r) => r.security_group_id === group("data-processing"))).toEqual([
      expect.objectContaining({
        referenced_security_group_id: group("data-ingestion"),
        ip_protocol: "tcp",
        from_port: 3000,
        to_port: 3000,
      }),
    ]);
    const egress = resources(dev, "aws_vpc_security_group_egress_rule");
    expect(egress.filter((r) => r.referenced_security_group_id === group("data-processing")).map((r) => r.security_group_id)).toEqual([
      group("data-ingestion"),
    ]);
    expect(egress.filter((r) => r.security_group_id === group("data-processing")).map((r) => [r.cidr_ipv4, r.from_port])).toEqual([
      ["0.0.0.0/0", 443],
    ]);
  });

  it("outputs what a reviewer wants", () => {
    expect(Object.keys(dev.output).sort()).toEqual([
      "alarm_topic_arn",
      "cluster_name",
      "dashboard_url",
      "dead_letter_queue_url",
      "mesh_name",
      "namespace",
      "services",
    ]);
    expect(dev.output.services.value["data-processing"].dns_name).toBe("data-processing.dev.smn-app-mesh-ecs.internal");
  });
});

describe("other environments", () => {
  it("sizes prod as its file says", () => {
    const prod = synthStack(envs.prod!);
    expect(one(prod, "aws_ecs_service", named("prod-smn-app-mesh-ecs-data-processing")).desired_count).toBe(4);
    expect(one(prod, "aws_ecs_cluster").setting).toEqual([{ name: "containerInsights", value: "enhanced" }]);
    expect(resources(prod, "aws_cloudwatch_log_group").map((g) => g.retention_in_days)).toEqual([365, 365]);
    expect(prod.provider.aws[0].default_tags[0].tags.CostCenter).toBe("telemetry");
    const task = one(prod, "aws_ecs_task_definition", (t) => t.family === "prod-smn-app-mesh-ecs-data-processing");
    expect([task.cpu, task.memory]).toEqual(["2048", "4096"]);
  });

  it("mixes in FARGATE_SPOT where the config gives it a weight", () => {
    const staging = synthStack(envs.staging!);
    expect(one(staging, "aws_ecs_service", named("staging-smn-app-mesh-ecs-data-ingestion")).capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", weight: 1, base: 1 },
      { capacity_provider: "FARGATE_SPOT", weight: 1 },
    ]);
  });
});

describe("determinism", () => {
  it("synthesizes byte-identical JSON twice, with no absolute paths", () => {
    const first = JSON.stringify(synthStack(envs.dev!));
    expect(JSON.stringify(synthStack(envs.dev!))).toBe(first);
    expect(first).not.toContain(process.cwd());
    expect(first).not.toMatch(/"\/(tmp|home|root|work|Users)\//);
  });
});

describe("Envoy image", () => {
  it("defaults to AWS's image in the environment's own region, and may be named", () => {
    const text = edit(
      edit(DEV_YAML, "  envoy:\n    image: 840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod\n", ""),
      "region: eu-west-1",
      "region: us-east-2",
    );
    const envoyOf = (yaml: string) => optionsOf(resolve(yaml)).envoy.image;
    expect(envoyOf(text)).toBe("840364872350.dkr.ecr.us-east-2.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod");
    expect(envoyOf(DEV_YAML)).toBe("840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod");
  });
});
