/** The environment's load balancer: its rules, what it sends to, and what AWS requires of it, each at its line. */
import { describe, expect, it } from "vitest";
import { resolve, validate } from "../../helpers";
import { CERTIFICATE } from "../../traffic-yaml";
import { WEB_FILE, WEB_INGRESS, webYaml } from "../../web-yaml";

const withIngress = (ingress: string, rest: Parameters<typeof webYaml>[0] = {}) => validate(webYaml({ ...rest, ingress }), WEB_FILE);
const rules = (...lines: string[]) =>
  ["ingress:", "  allowedCidrs: [10.0.0.0/8]", `  certificate: "${CERTIFICATE}"`, "  rules:", ...lines.map((l) => `    - ${l}`)].join("\n");

describe("the environment's load balancer", () => {
  it("is valid as the four-tier sample writes it, and resolves its rules in order with the services they reach", () => {
    expect(validate(webYaml(), WEB_FILE, { ids: true })).toEqual(["web.yaml:13:18 ingress.allowedCidrs: warning: x"].slice(0, 0));
    const env = resolve(webYaml(), WEB_FILE);
    expect(env.webIngress).toEqual({
      scheme: "internet-facing",
      certificateArn: CERTIFICATE,
      allowedCidrs: ["198.51.100.0/24", "203.0.113.0/24"],
      rules: [
        { priority: 1, host: "shop.example.com", path: "/api/*", service: "api" },
        { priority: 2, path: "/*", service: "ui" },
      ],
      services: ["api", "ui"],
      // api's timeout is 90s: the connection may stay idle longer than that, and never less than ELB's 60s.
      idleTimeoutSeconds: 95,
    });
  });

  it("refuses a rule sending to an unknown service, naming the closest", () => {
    expect(withIngress(rules("{ path: /*, to: uii }"))).toEqual([
      'web.yaml:14:23 ingress.rules[0].to: unknown service "uii"; did you mean "ui"? services in this file: ui, api, db, cache',
    ]);
  });

  it("refuses a rule sending to a TCP service, which is reached through its own ingress", () => {
    expect(withIngress(rules("{ path: /db/*, to: db }"))).toEqual([
      "web.yaml:14:26 ingress.rules[0].to: db speaks tcp, which an Application Load Balancer cannot route by host or path: give db its own ingress (a Network Load Balancer), or send to an HTTP service",
    ]);
  });

  it("refuses HTTP/2 and gRPC services behind plain HTTP, and takes them behind HTTPS", () => {
    const plain = ["ingress:", "  allowedCidrs: [10.0.0.0/8]", "  rules:", "    - { path: /*, to: api }"].join("\n");
    expect(withIngress(plain, { api: "    protocol: grpc" })).toEqual([
      "web.yaml:13:23 ingress.rules[0].to: api speaks grpc, which an Application Load Balancer forwards only from an HTTPS listener: add ingress.certificate",
    ]);
    expect(withIngress(rules("{ path: /*, to: api }"), { api: "    protocol: http2" })).toEqual([]);
  });

  it("refuses a second rule for the same host and path (hosts compared without case), which would never match", () => {
    expect(withIngress(rules("{ host: Shop.example.com, path: /a, to: ui }", "{ host: shop.example.com, path: /a, to: api }"))).toEqual([
      "web.yaml:15:7 ingress.rules[1]: matches the same host and path as rule 1, which takes every such request first: remove one, or change its host or path",
    ]);
  });

  it("refuses a routed service's blue-green, linear or canary deployment, at its strategy", () => {
    expect(withIngress(rules("{ path: /*, to: ui }"), { ui: "    deployment: { strategy: blue-green }" })).toEqual([
      "web.yaml:21:29 services.ui.deployment.strategy: ui deploys blue-green, but meshform shifts traffic behind the environment's load balancer only in rolling deployments so far: use strategy: rolling, or reach ui through its own ingress",
    ]);
  });

  it("checks hosts and paths as ELB does, and wants a host or a path in every rule", () => {
    expect(withIngress(rules("{ host: localhost, to: ui }", "{ path: api/*, to: api }", "{ to: ui }"))).toEqual([
      'web.yaml:14:15 ingress.rules[0].host: a host needs a "." with only letters (or wildcards) after the last one, such as "app.example.com" or "*.example.com", got "localhost"',
      'web.yaml:15:15 ingress.rules[1].path: a path starts with / and may hold letters, digits, _ - . $ / ~ " \' @ : + & and the wildcards * and ?, up to 128 characters, got "api/*"',
      'web.yaml:16:7 ingress.rules[2]: a rule matches a host, a path or both: add host or path (path: "/*" matches every request)',
    ]);
  });

  it("wants TLS and public subnets when it faces the internet, and warns when it admits all of it", () => {
    const open = ["ingress:", "  scheme: internet-facing", "  allowedCidrs: [0.0.0.0/0]", "  rules:", "    - { path: /*, to: ui }"].join(
      "\n",
    );
    expect(withIngress(open).filter((m) => m.includes("ingress.s") || m.includes("allowedCidrs"))).toEqual([
      "web.yaml:11:11 ingress.scheme: an internet-facing load balancer must terminate TLS, so that readings never cross the internet in clear text: add certificate (an ACM certificate ARN) or use scheme: internal",
      "web.yaml:12:18 ingress.allowedCidrs[0]: warning: opens the load balancer to the whole internet; name the networks that should reach it if you can (a public website acknowledges MF305)",
    ]);
    const noPublic = webYaml().replace("  publicSubnetIds: [subnet-0123456789abcdef8, subnet-0123456789abcdef9]\n", "");
    expect(validate(noPublic, WEB_FILE)).toEqual([
      "web.yaml:10:11 ingress.scheme: an internet-facing load balancer must be in public subnets (with a route to an internet gateway), and network.subnetIds are the tasks' private ones: add network.publicSubnetIds, or use scheme: internal",
    ]);
  });

  it("wants a routed service's health check to time out before the next begins (ELB's rule)", () => {
    expect(withIngress(WEB_INGRESS, { ui: "    healthCheck: { interval: 5s, timeout: 5s }" })).toEqual([
      "web.yaml:23:43 services.ui.healthCheck.timeout: a load balancer checks ui every 5s, and ELB requires each check to time out before the next (here 5s): make healthCheck.timeout shorter than healthCheck.interval",
    ]);
  });

  it("is refused under App Mesh, at its key, with the alternative", () => {
    expect(validate(webYaml({ provider: "appmesh" }), WEB_FILE).filter((m) => m.includes(" ingress:"))).toEqual([
      "web.yaml:10:1 ingress: App Mesh reached end of life on 2026-09-30, and its services are reached from outside through a virtual gateway: give a service its own ingress (a Network Load Balancer in front of its gateway), or move the environment to service-connect",
    ]);
  });
});
