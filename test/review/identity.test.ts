/** Lists in a stack compared by their elements' natural keys: added, removed, changed; another order is no change. */
import { describe, expect, it } from "vitest";
import { compareStacks, diffValues } from "../../src/review/diff";
import { KEYED_ATTRIBUTES } from "../../src/review/identity";

/** One resource before and after, compared; the changed paths with their kind. */
const changed = (before: Record<string, unknown>, after: Record<string, unknown>) => {
  const { changes, ordering } = compareStacks({ resource: { t: { r: before } } }, { resource: { t: { r: after } } });
  return { paths: (changes[0]?.attributes ?? []).map((a) => `${a.kind} ${a.path}`), ordering: ordering.map((o) => o.paths) };
};

const containers = (...defs: object[]) => ({ container_definitions: JSON.stringify(defs) });
const policy = (...statements: object[]) => ({ policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });

describe("lists compared by key", () => {
  it("environment variables by name: one added is that one, not every later one renamed", () => {
    const env = (...names: string[]) =>
      containers({ name: "app", environment: names.map((name) => ({ name, value: name.toLowerCase() })) });
    expect(
      changed(
        env("APP_PORT", "DEAD_LETTER_QUEUE_URL", "MESH_NAMESPACE"),
        env("APP_PORT", "DATA_MAX_RETRIES", "DEAD_LETTER_QUEUE_URL", "MESH_NAMESPACE"),
      ).paths,
    ).toEqual(["added container_definitions[name=app].environment[name=DATA_MAX_RETRIES]"]);
    const [change] = compareStacks(
      { resource: { t: { r: containers({ name: "app", environment: [{ name: "A", value: "1" }] }) } } },
      { resource: { t: { r: containers({ name: "app", environment: [{ name: "A", value: "2" }] }) } } },
    ).changes;
    expect(change!.attributes).toEqual([
      { path: "container_definitions[name=app].environment[name=A].value", kind: "changed", before: "1", after: "2" },
    ]);
  });

  it("secrets by name, removed and added", () => {
    const secrets = (...names: string[]) => containers({ name: "app", secrets: names.map((name) => ({ name, valueFrom: `arn:${name}` })) });
    expect(changed(secrets("DB", "TOKEN"), secrets("TOKEN", "API_KEY")).paths).toEqual([
      "removed container_definitions[name=app].secrets[name=DB]",
      "added container_definitions[name=app].secrets[name=API_KEY]",
    ]);
  });

  it("containers by name: an Envoy replaced by app-ready is one removed and one added, not fifteen attributes renamed", () => {
    const app = { name: "app", image: "app:v1", cpu: 256 };
    const envoy = { name: "envoy", image: "envoy:1", cpu: 128, user: "1337", healthCheck: { command: ["CMD-SHELL", "curl"] } };
    const ready = { name: "app-ready", image: "app:v1", essential: false, dependsOn: [{ containerName: "app", condition: "HEALTHY" }] };
    expect(changed(containers(app, envoy), containers(app, ready)).paths).toEqual([
      "removed container_definitions[name=envoy]",
      "added container_definitions[name=app-ready]",
    ]);
  });

  it("port mappings by name, else by container port and protocol; mount points by path; dependsOn by container; ulimits by name", () => {
    const app = (extra: object) => containers({ name: "app", ...extra });
    expect(
      changed(
        app({
          portMappings: [
            { containerPort: 3000, protocol: "tcp" },
            { containerPort: 2000, protocol: "udp" },
          ],
        }),
        app({
          portMappings: [
            { containerPort: 2000, protocol: "udp" },
            { containerPort: 3000, protocol: "tcp", appProtocol: "http" },
          ],
        }),
      ).paths,
    ).toEqual(["added container_definitions[name=app].portMappings[containerPort=3000/tcp].appProtocol"]);
    expect(
      changed(app({ portMappings: [{ name: "web", containerPort: 3000 }] }), app({ portMappings: [{ name: "api", containerPort: 3000 }] }))
        .paths,
    ).toEqual([
      "removed container_definitions[name=app].portMappings[name=web]",
      "added container_definitions[name=app].portMappings[name=api]",
    ]);
    expect(
      changed(
        app({ mountPoints: [{ containerPath: "/tmp", readOnly: false }], dependsOn: [{ containerName: "envoy", condition: "HEALTHY" }] }),
        app({ mountPoints: [{ containerPath: "/tmp", readOnly: true }], dependsOn: [{ containerName: "envoy", condition: "START" }] }),
      ).paths,
    ).toEqual([
      "changed container_definitions[name=app].dependsOn[containerName=envoy].condition",
      "changed container_definitions[name=app].mountPoints[containerPath=/tmp].readOnly",
    ]);
    expect(
      changed(app({ ulimits: [{ name: "nofile", softLimit: 1 }] }), app({ ulimits: [{ name: "nofile", softLimit: 2 }] })).paths,
    ).toEqual(["changed container_definitions[name=app].ulimits[name=nofile].softLimit"]);
  });

  it("IAM statements by Sid, actions as a set: no action 'changed' from one service to another", () => {
    const before = policy(
      { Sid: "AppMesh", Effect: "Allow", Action: "appmesh:StreamAggregatedResources", Resource: "node" },
      { Sid: "XRay", Effect: "Allow", Action: ["xray:PutTraceSegments"], Resource: "*" },
    );
    const after = policy(
      { Sid: "AppMesh", Effect: "Allow", Action: "appmesh:StreamAggregatedResources", Resource: "node" },
      { Sid: "DeadLetters", Effect: "Allow", Action: "sqs:SendMessage", Resource: "queue" },
      { Sid: "XRay", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:GetSamplingRules"], Resource: "*" },
    );
    expect(changed(before, after).paths).toEqual(["added policy.Statement[Sid=XRay].Action", "added policy.Statement[Sid=DeadLetters]"]);
  });

  it("IAM statements without a Sid by what they say: one more is one added", () => {
    const s3 = { Effect: "Allow", Action: "s3:GetObject", Resource: "bucket/*" };
    const sqs = { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: "queue" };
    expect(changed(policy(s3), policy(sqs, s3)).paths).toEqual(["added policy.Statement[Allow sqs:SendMessage on queue]"]);
    // The same statement with its action written as a list is the same statement.
    expect(changed(policy(s3), policy({ ...s3, Action: ["s3:GetObject"] })).paths).toEqual([]);
  });

  it("security group rules by protocol, ports and peer", () => {
    const rule = (port: number, cidr: string) => ({
      protocol: "tcp",
      from_port: port,
      to_port: port,
      cidr_blocks: [cidr],
      description: `port ${port}`,
    });
    expect(
      changed(
        { ingress: [rule(443, "10.0.0.0/8"), rule(3000, "10.0.0.0/8")] },
        { ingress: [rule(3000, "10.0.0.0/8"), rule(443, "0.0.0.0/0")], egress: [rule(443, "0.0.0.0/0")] },
      ).paths,
    ).toEqual(["added egress[tcp 443 0.0.0.0/0]", "removed ingress[tcp 443 10.0.0.0/8]", "added ingress[tcp 443 0.0.0.0/0]"]);
  });

  it("listener rules by priority", () => {
    const rule = (priority: number, path: string) => ({ priority, condition: { path_pattern: { values: [path] } } });
    expect(changed({ rule: [rule(10, "/a"), rule(20, "/b")] }, { rule: [rule(5, "/new"), rule(10, "/a"), rule(20, "/c")] }).paths).toEqual([
      "removed rule[priority=20].condition.path_pattern.values",
      "added rule[priority=20].condition.path_pattern.values",
      "added rule[priority=5]",
    ]);
  });

  it("App Mesh backends, listeners, weighted targets and header matches by what they name", () => {
    const backend = (svc: string) => ({ virtual_service: { virtual_service_name: svc } });
    expect(
      changed(
        { spec: { listener: [{ port_mapping: { port: 3000, protocol: "http" } }] } },
        {
          spec: { backend: [backend("b")], listener: [{ port_mapping: { port: 3000, protocol: "http" }, timeout: { http: {} } }] },
        },
      ).paths,
    ).toEqual(["added spec.backend[virtual_service=b]", "added spec.listener[port=3000/http].timeout"]);
    const targets = (...t: [string, number][]) => ({
      spec: {
        http_route: {
          action: { weighted_target: t.map(([virtual_node, weight]) => ({ virtual_node, weight })) },
          match: { header: [{ name: "x-beta" }] },
        },
      },
    });
    expect(changed(targets(["v1", 100]), targets(["v2", 10], ["v1", 90])).paths).toEqual([
      "changed spec.http_route.action.weighted_target[virtual_node=v1].weight",
      "added spec.http_route.action.weighted_target[virtual_node=v2]",
    ]);
  });

  it("ECS service blocks by what they name: capacity providers, load balancers, Service Connect services and aliases, registries", () => {
    const svc = (spot: number, alias: string) => ({
      capacity_provider_strategy: [
        { capacity_provider: "FARGATE", weight: 1, base: 1 },
        ...(spot ? [{ capacity_provider: "FARGATE_SPOT", weight: spot }] : []),
      ],
      load_balancer: [{ target_group_arn: "tg", container_name: "app", container_port: 3000 }],
      service_connect_configuration: { service: [{ port_name: "api", client_alias: [{ dns_name: alias, port: 3000 }] }] },
      service_registries: [{ registry_arn: "r" }],
    });
    expect(changed(svc(0, "api.a"), svc(1, "api.b")).paths).toEqual([
      "added capacity_provider_strategy[capacity_provider=FARGATE_SPOT]",
      "removed service_connect_configuration.service[port_name=api].client_alias[api.a:3000]",
      "added service_connect_configuration.service[port_name=api].client_alias[api.b:3000]",
    ]);
  });

  it("any other list of objects by a name every element has, else by position", () => {
    expect(
      changed(
        { setting: [{ name: "containerInsights", value: "enabled" }] },
        { setting: [{ name: "containerInsights", value: "disabled" }] },
      ).paths,
    ).toEqual(["changed setting[name=containerInsights].value"]);
    expect(changed({ things: [{ name: "a" }, { name: "b" }] }, { things: [{ name: "b" }, { name: "a", x: 1 }] }).paths).toEqual([
      "added things[name=a].x",
    ]);
    expect(changed({ things: [{ a: 1 }, { a: 2 }] }, { things: [{ a: 2 }, { a: 1 }] }).paths).toEqual([
      "changed things[0].a",
      "changed things[1].a",
    ]);
  });

  it("lists of plain values as sets, except a command line, whose order is its meaning", () => {
    expect(changed({ subnets: ["a", "b"] }, { subnets: ["b", "c"] }).paths).toEqual(["removed subnets", "added subnets"]);
    const command = (...args: string[]) => containers({ name: "app", healthCheck: { command: args } });
    expect(changed(command("CMD", "a", "b"), command("CMD", "b", "a")).paths).toEqual([
      "changed container_definitions[name=app].healthCheck.command[1]",
      "changed container_definitions[name=app].healthCheck.command[2]",
    ]);
  });

  it("does not count depends_on or another order of the same elements as a change, and says where the order moved", () => {
    const env = (...names: string[]) => containers({ name: "app", environment: names.map((name) => ({ name, value: "1" })) });
    expect(changed({ ...env("A", "B"), depends_on: ["x", "y"] }, { ...env("B", "A"), depends_on: ["y", "x", "z"] })).toEqual({
      paths: [],
      ordering: [["depends_on", "container_definitions[name=app].environment"]],
    });
    expect(changed({ subnets: ["a", "b"] }, { subnets: ["b", "a"] })).toEqual({ paths: [], ordering: [["subnets"]] });
  });

  it("keeps two elements with the same key apart", () => {
    expect(
      diffValues(
        {
          environment: [
            { name: "A", value: "1" },
            { name: "A", value: "2" },
          ],
        },
        { environment: [{ name: "A", value: "1" }] },
      ),
    ).toEqual([{ path: "environment[name=A#2]", kind: "removed", before: { name: "A", value: "2" } }]);
  });
});

/** For every keyed attribute: an element, another, and the key the second is shown by. */
const EACH_KEY: Record<string, [object, object, string]> = {
  container_definitions: [{ name: "app", image: "a" }, { name: "app-ready", image: "a" }, "name=app-ready"],
  environment: [{ name: "A", value: "1" }, { name: "B", value: "1" }, "name=B"],
  secrets: [{ name: "A", valueFrom: "x" }, { name: "B", valueFrom: "x" }, "name=B"],
  ulimits: [{ name: "nofile", softLimit: 1 }, { name: "nproc", softLimit: 1 }, "name=nproc"],
  portMappings: [{ containerPort: 3000 }, { containerPort: 2000, protocol: "udp" }, "containerPort=2000/udp"],
  mountPoints: [{ containerPath: "/tmp" }, { containerPath: "/data" }, "containerPath=/data"],
  dependsOn: [{ containerName: "envoy", condition: "HEALTHY" }, { containerName: "app", condition: "START" }, "containerName=app"],
  volumesFrom: [{ sourceContainer: "a" }, { sourceContainer: "b" }, "sourceContainer=b"],
  environmentFiles: [{ value: "arn:a", type: "s3" }, { value: "arn:b", type: "s3" }, "value=arn:b"],
  systemControls: [{ namespace: "net.a", value: "1" }, { namespace: "net.b", value: "1" }, "namespace=net.b"],
  extraHosts: [{ hostname: "a", ipAddress: "10.0.0.1" }, { hostname: "b", ipAddress: "10.0.0.1" }, "hostname=b"],
  Statement: [
    { Sid: "A", Effect: "Allow", Action: "s3:GetObject" },
    { Effect: "Deny", Action: ["s3:*"], Resource: ["*"] },
    "Deny s3:* on *",
  ],
  volume: [{ name: "tmp" }, { name: "data" }, "name=data"],
  ingress: [
    { protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["10.0.0.0/8"] },
    { protocol: "tcp", from_port: 80, to_port: 81, self: true },
    "tcp 80-81 self",
  ],
  egress: [
    { protocol: "tcp", from_port: 443, to_port: 443, security_groups: ["sg-1"] },
    { protocol: "udp", from_port: 53, to_port: 53, prefix_list_ids: ["pl-1"] },
    "udp 53 pl-1",
  ],
  setting: [{ name: "containerInsights", value: "enabled" }, { name: "other", value: "x" }, "name=other"],
  capacity_provider_strategy: [
    { capacity_provider: "FARGATE", weight: 1 },
    { capacity_provider: "FARGATE_SPOT", weight: 1 },
    "capacity_provider=FARGATE_SPOT",
  ],
  default_capacity_provider_strategy: [
    { capacity_provider: "FARGATE", weight: 1 },
    { capacity_provider: "FARGATE_SPOT", weight: 1 },
    "capacity_provider=FARGATE_SPOT",
  ],
  load_balancer: [
    { target_group_arn: "tg-a", container_name: "app", container_port: 3000 },
    { target_group_arn: "tg-b", container_name: "app", container_port: 3000 },
    "target_group_arn=tg-b app:3000",
  ],
  service_registries: [{ registry_arn: "r-a" }, { registry_arn: "r-b" }, "registry_arn=r-b"],
  service: [{ port_name: "api" }, { port_name: "admin" }, "port_name=admin"],
  client_alias: [{ dns_name: "a", port: 3000 }, { dns_name: "b", port: 3000 }, "b:3000"],
  default_action: [{ type: "forward", target_group_arn: "tg-a" }, { type: "forward", target_group_arn: "tg-b" }, "type=forward tg-b"],
  action: [{ order: 1, type: "forward" }, { order: 2, type: "fixed-response" }, "order=2"],
  rule: [{ priority: 10, action: {} }, { priority: 20, action: {} }, "priority=20"],
  backend: [{ virtual_service: { virtual_service_name: "a" } }, { virtual_service: { virtual_service_name: "b" } }, "virtual_service=b"],
  listener: [{ port_mapping: { port: 3000, protocol: "http" } }, { port_mapping: { port: 3001, protocol: "http2" } }, "port=3001/http2"],
  weighted_target: [{ virtual_node: "v1", weight: 90 }, { virtual_node: "v2", weight: 10 }, "virtual_node=v2"],
  header: [{ name: "x-a", match: { exact: "1" } }, { name: "x-b", match: { exact: "1" } }, "name=x-b"],
  query_parameter: [{ name: "a", match: { exact: "1" } }, { name: "b", match: { exact: "1" } }, "name=b"],
};

describe("every keyed list", () => {
  it("has an example here", () => {
    expect(Object.keys(EACH_KEY).sort()).toEqual([...KEYED_ATTRIBUTES].sort());
  });

  it.each(Object.entries(EACH_KEY))(
    "%s: an element put in front is that element added, and nothing else",
    (attribute, [first, second, key]) => {
      expect(diffValues({ [attribute]: [first] }, { [attribute]: [second, first] })).toEqual([
        { path: `${attribute}[${key}]`, kind: "added", after: second },
      ]);
      expect(diffValues({ [attribute]: [first, second] }, { [attribute]: [second, first] })).toEqual([]);
    },
  );
});
