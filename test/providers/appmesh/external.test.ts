/** Services outside the mesh: reachable by name under App Mesh's DROP_ALL, told to callers under both providers. */
import { describe, expect, it } from "vitest";
import { resolve, validate } from "../../helpers";
import { type Json, one, ref, resources, synthStack } from "../../stack-helpers";
import { TRAFFIC_FILE, trafficYaml } from "../../traffic-yaml";

const EXTERNALS =
  "externalServices:\n  weather-api: { host: api.weather.example.com, port: 443 }\n  legacy: { host: legacy.corp.example.com, port: 8080 }\n";
const yaml = (provider: string, extra = "") =>
  EXTERNALS + extra + trafficYaml({ provider, worker: "    externalBackends: [weather-api, legacy]" });
const appVariables = (stack: Json, family: string) =>
  Object.fromEntries(
    JSON.parse(one(stack, "aws_ecs_task_definition", (t) => t.family === family).container_definitions)
      .find((c: Json) => c.name === "app")
      .environment.map((e: Json) => [e.name, e.value]),
  );

describe("external services under App Mesh", () => {
  const stack = synthStack(
    resolve(yaml("appmesh", "mesh: { provider: appmesh, ipPreference: IPv4_PREFERRED }\n").replace("mesh: { provider: appmesh }\n", "")),
  );

  it("are virtual nodes found by DNS, listening as TCP, behind virtual services named after their hosts", () => {
    const node = one(stack, "aws_appmesh_virtual_node", (n) => n.name === "dev-shop-external-legacy");
    expect(node.spec).toEqual({
      listener: [{ port_mapping: { port: 8080, protocol: "tcp" } }],
      service_discovery: { dns: { hostname: "legacy.corp.example.com" } },
    });
    const service = one(stack, "aws_appmesh_virtual_service", (s) => s.name === "legacy.corp.example.com");
    expect(service.spec.provider.virtual_node.virtual_node_name).toBe(ref("aws_appmesh_virtual_node", node, "name"));
  });

  it("are backends of their callers' nodes only, and their URLs reach the callers' apps", () => {
    const worker = one(stack, "aws_appmesh_virtual_node", (n) => n.name === "dev-shop-worker-node");
    const hosts = ["api.weather.example.com", "legacy.corp.example.com"].map((h) =>
      ref(
        "aws_appmesh_virtual_service",
        one(stack, "aws_appmesh_virtual_service", (s) => s.name === h),
        "name",
      ),
    );
    expect(worker.spec.backend.map((b: Json) => b.virtual_service.virtual_service_name)).toEqual(hosts);
    expect(appVariables(stack, "dev-shop-worker")).toMatchObject({
      WEATHER_API_URL: "https://api.weather.example.com:443",
      LEGACY_URL: "http://legacy.corp.example.com:8080",
    });
    expect(appVariables(stack, "dev-shop-api").LEGACY_URL).toBeUndefined();
  });

  it("open the tasks' egress to their ports beyond HTTPS, which the callers' ECS services wait for", () => {
    const rule = one(stack, "aws_vpc_security_group_egress_rule", (r) => r.from_port === 8080);
    expect(rule).toMatchObject({ cidr_ipv4: "0.0.0.0/0", to_port: 8080, ip_protocol: "tcp" });
    // HTTPS from every service; 8080 only from the worker, the one that calls legacy.corp.example.com.
    const open = resources(stack, "aws_vpc_security_group_egress_rule").filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
    const worker = ref(
      "aws_security_group",
      one(stack, "aws_security_group", (g) => g.name === "dev-shop-worker"),
      "id",
    );
    expect(open.filter((r) => r.from_port === 8080).map((r) => r.security_group_id)).toEqual([worker]);
    expect(open.filter((r) => r.from_port !== 443 && r.from_port !== 8080)).toEqual([]);
    expect(one(stack, "aws_ecs_service", (s) => s.name === "dev-shop-worker").depends_on).toContain(
      `aws_vpc_security_group_egress_rule.${rule.id}`,
    );
  });

  it("set the mesh's IP preference when asked", () => {
    expect(one(stack, "aws_appmesh_mesh").spec).toEqual({
      egress_filter: { type: "DROP_ALL" },
      service_discovery: { ip_preference: "IPv4_PREFERRED" },
    });
  });
});

describe("external services under Service Connect", () => {
  it("need nothing of the mesh: the callers get their URLs and the egress", () => {
    const stack = synthStack(resolve(yaml("service-connect")));
    expect(resources(stack, "aws_appmesh_virtual_node")).toEqual([]);
    expect(appVariables(stack, "dev-shop-worker").WEATHER_API_URL).toBe("https://api.weather.example.com:443");
    expect(resources(stack, "aws_vpc_security_group_egress_rule").some((r) => r.from_port === 8080)).toBe(true);
  });

  it("refuse App Mesh's IP preference", () => {
    const text = trafficYaml().replace(
      "mesh: { provider: service-connect }",
      "mesh: { provider: service-connect, ipPreference: IPv6_ONLY }",
    );
    expect(validate(text, TRAFFIC_FILE)).toEqual([
      "dev.yaml:6:36 mesh.ipPreference: Service Connect's proxies use the addresses ECS gives the tasks (IPv4, or dual-stack in a dual-stack VPC); remove ipPreference",
    ]);
  });
});

describe("external backends", () => {
  it("must name declared external services, once, under names no service has", () => {
    const text =
      "externalServices:\n  weather-api: { host: api.weather.example.com, port: 443 }\n  api: { host: api.example.com, port: 443 }\n" +
      trafficYaml({ worker: "    externalBackends: [weather-apj, weather-api, weather-api]" });
    expect(validate(text, TRAFFIC_FILE)).toEqual([
      'dev.yaml:3:3 externalServices.api: "api" names a service of this file too; give the external one another name',
      'dev.yaml:21:24 services.worker.externalBackends[0]: unknown external service "weather-apj"; did you mean "weather-api"? externalServices: weather-api, api',
      'dev.yaml:21:50 services.worker.externalBackends[2]: "weather-api" is listed twice',
    ]);
  });
});
