/** Versions, routes and listener settings: what each provider can honour, and routes that make sense. */

import { describe, expect, it } from "vitest";
import { routeName, versionNodeName } from "../../../src/providers/appmesh/facts";
import { resolve, validate } from "../../helpers";
import { CERTIFICATE, TRAFFIC_FILE, trafficYaml } from "../../traffic-yaml";

const CA = "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const POLICY = "retryPolicy: { maxRetries: 2, perRetryTimeout: 2s, httpRetryEvents: [gateway-error] }";
const VERSIONED = [
  "    versions: { v1: { imageTag: v1 }, v2: { imageTag: v2, desiredCount: 3 } }",
  "    routes:",
  '      - { name: beta, priority: 10, match: { headers: { x-beta-user: { exact: "true" } } }, to: { v2: 100 } }',
  `      - { name: main, priority: 20, to: { v1: 90, v2: 10 }, timeout: 20s, ${POLICY} }`,
].join("\n");

describe("versions and routes", () => {
  it("resolve to each version's names, image and count, and each route's match and weights", () => {
    const worker = resolve(trafficYaml({ provider: "appmesh", worker: VERSIONED })).services[1]!;
    expect(worker.versions.map((v) => [v.name, v.imageTag, v.desiredCount, v.names.ecsService, v.names.discovery])).toEqual([
      ["v1", "v1", 1, "dev-shop-worker-v1", "worker-v1"],
      ["v2", "v2", 3, "dev-shop-worker-v2", "worker-v2"],
    ]);
    expect(worker.routes.map((r) => [routeName(worker.names, r.name), r.priority, r.match, r.targets])).toEqual([
      [
        "dev-shop-worker-beta",
        10,
        { prefix: "/", headers: [{ name: "x-beta-user", invert: false, match: { exact: "true" } }], queryParameters: [] },
        [{ version: "v2", weight: 100 }],
      ],
      [
        "dev-shop-worker-main",
        20,
        { prefix: "/", headers: [], queryParameters: [] },
        [
          { version: "v1", weight: 90 },
          { version: "v2", weight: 10 },
        ],
      ],
    ]);
    // Callers allow the longest route, retries included.
    expect(worker.route).toMatchObject({ timeoutMs: 20_000, retryPolicy: { maxRetries: 2 } });
  });

  it("keep the shorthand route as one route to the one unnamed version, under the service's own names", () => {
    const api = resolve(trafficYaml({ provider: "appmesh" })).services[0]!;
    expect(api.versions).toEqual([
      {
        names: { ecsService: "dev-shop-api", taskFamily: "dev-shop-api", discovery: "api" },
        imageTag: "v1",
        awaitingImage: false,
        desiredCount: 1,
      },
    ]);
    expect(routeName(api.names, api.routes[0]!.name)).toBe("dev-shop-api-route");
    expect(versionNodeName(api.names, api.versions[0]!.name)).toBe("dev-shop-api-node");
    expect(api.routes).toEqual([
      {
        priority: 1,
        match: { prefix: "/", headers: [], queryParameters: [] },
        targets: [{ weight: 100 }],
        timeoutMs: 15_000,
      },
    ]);
  });

  it("refuse routes that name no version, unknown ones, only zero weights, a shared priority or name, and both route forms", () => {
    const text = trafficYaml({
      provider: "appmesh",
      worker: [
        "    versions: { v1: {}, v2: {} }",
        "    route: { timeout: 5s }",
        "    routes:",
        "      - { name: a, priority: 10, to: { v1: 0, v2: 0 } }",
        "      - { name: a, priority: 10, to: { v3: 100 } }",
        "      - { name: c, priority: 30 }",
      ].join("\n"),
    });
    expect(validate(text, TRAFFIC_FILE)).toEqual([
      "dev.yaml:18:17 services.worker.versions.v1: warning: gets no traffic: no route sends to it with a weight above 0, yet its tasks run",
      "dev.yaml:18:25 services.worker.versions.v2: warning: gets no traffic: no route sends to it with a weight above 0, yet its tasks run",
      "dev.yaml:19:5 services.worker.route: is the one-route shorthand, and routes are given too: keep one (move its timeout and retryPolicy into the routes)",
      "dev.yaml:21:34 services.worker.routes[0].to: must give at least one version a weight above 0",
      'dev.yaml:22:17 services.worker.routes[1].name: "a" names another route of worker already; each route needs its own name',
      'dev.yaml:22:30 services.worker.routes[1].priority: 10 is route "a"\'s priority too; give each route of worker its own',
      'dev.yaml:22:40 services.worker.routes[1].to.v3: unknown version "v3"; versions of worker: v1, v2',
      "dev.yaml:23:9 services.worker.routes[2]: must say which versions it sends to: add to, e.g. to: { v1: 100 }",
    ]);
  });

  it("refuse versions without routes, and weights without versions", () => {
    const text = trafficYaml({
      provider: "appmesh",
      api: "    routes: [{ name: main, priority: 1, to: { v1: 100 } }]",
      worker: `    versions: { v1: {} }\n    ingress: { allowedCidrs: [10.0.0.0/8] }`,
    });
    expect(validate(text, TRAFFIC_FILE)).toEqual([
      "dev.yaml:14:41 services.api.routes[0].to: names versions, but api declares none: add versions, or remove to",
      "dev.yaml:19:5 services.worker.versions: need routes that say how traffic splits between them: add routes, each with to, e.g. to: { v1: 90, v2: 10 }",
    ]);
  });

  it("check App Mesh's match rules: one way to match a header, prefix or path, 1 to 10 headers", () => {
    const text = trafficYaml({
      provider: "appmesh",
      worker:
        "    routes: [{ name: m, priority: 1, match: { prefix: /a, path: { exact: /b }, headers: { x-a: { exact: a, prefix: b } } } }]",
    });
    expect(validate(text, TRAFFIC_FILE)).toEqual([
      "dev.yaml:18:38 services.worker.routes[0].match: must have prefix or path, not both",
      "dev.yaml:18:91 services.worker.routes[0].match.headers.x-a: must say how to match, with exactly one of exact, prefix, suffix, regex, range or present: true",
    ]);
  });

  it("warn per route when its retries cannot fit its timeout, naming the route", () => {
    const text = trafficYaml({ provider: "appmesh", worker: `    routes: [{ name: m, priority: 1, timeout: 3s, ${POLICY} }]` });
    expect(validate(text, TRAFFIC_FILE)).toContainEqual(
      "dev.yaml:18:51 services.worker.routes[0].retryPolicy: warning: 2 retries of 2s plus the first try need up to 6s, but routes[0].timeout is 3s, so at most 1 try fits; raise routes[0].timeout to 6s or lower maxRetries",
    );
  });
});

describe("listener settings", () => {
  it("under App Mesh, want the pool that fits the protocol and the listener's certificate", () => {
    const text = trafficYaml({
      provider: "appmesh",
      api: `    connectionPool: { maxRequests: 10 }\n    tls: { certificateAuthority: ${CA} }\n    ingress: { allowedCidrs: [10.0.0.0/8] }`,
      worker: `    protocol: http2\n    connectionPool: { maxConnections: 10 }\n    tls: { certificate: ${CERTIFICATE.replace("eu-west-1", "eu-central-1")}, certificateAuthority: ${CA} }`,
    });
    expect(validate(text, TRAFFIC_FILE)).toEqual([
      "dev.yaml:14:5 services.api.connectionPool: needs maxConnections for protocol http",
      "dev.yaml:14:23 services.api.connectionPool.maxRequests: applies to protocol http2 or grpc, and this service speaks http; use maxConnections",
      "dev.yaml:15:5 services.api.tls: needs the listener's certificate under App Mesh: add certificate (an ACM certificate issued by certificateAuthority)",
      "dev.yaml:22:5 services.worker.connectionPool: needs maxRequests for protocol http2",
      "dev.yaml:22:23 services.worker.connectionPool.maxConnections: applies to protocol http, and this service speaks http2; use maxRequests",
      "dev.yaml:23:25 services.worker.tls.certificate: is in eu-central-1; Envoy exports its certificate from ACM in the stack's region, eu-west-1: issue it there",
    ]);
  });

  it("under Service Connect, refuse what its proxy does not let one set, each with the alternative", () => {
    const text = trafficYaml({
      worker: [
        "    versions: { v1: {} }",
        "    routes: [{ name: m, priority: 1 }]",
        "    outlierDetection: { maxServerErrors: 5, interval: 30s, baseEjectionDuration: 30s, maxEjectionPercent: 50 }",
        "    connectionPool: { maxConnections: 10 }",
        `    tls: { mode: PERMISSIVE, certificate: ${CERTIFICATE}, certificateAuthority: ${CA} }`,
      ].join("\n"),
    });
    expect(validate(text, TRAFFIC_FILE)).toEqual([
      "dev.yaml:18:5 services.worker.versions: Service Connect runs one revision of a service at a time; release a new one gradually with deployment.strategy canary, linear or blue-green, where ECS shifts the traffic",
      "dev.yaml:19:5 services.worker.routes: Service Connect sends every request for a service to it, with no routes to match headers, paths or methods; remove routes (route's timeout and retryPolicy apply; for test traffic by header, see deployment.testTraffic)",
      "dev.yaml:20:5 services.worker.outlierDetection: Service Connect's proxy ejects failing tasks on its own (outlier detection is built in and cannot be configured); remove outlierDetection, and let the container health check replace a task that stays unhealthy",
      "dev.yaml:21:5 services.worker.connectionPool: Service Connect's proxy has no connection pool settings; remove connectionPool, and bound concurrency in the caller (its retry budget limits retries already)",
      "dev.yaml:22:18 services.worker.tls.mode: Service Connect's TLS has no permissive mode: once on, every call to the service is encrypted by the proxies; remove mode (STRICT)",
      "dev.yaml:22:30 services.worker.tls.certificate: Service Connect issues every task's certificate from certificateAuthority itself and rotates it; remove certificate",
    ]);
  });
});
