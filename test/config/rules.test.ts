/**
 * Every rule has a stable id, unique across the core, the capability table and the providers, and is raised,
 * at its level, by a small file made for it (in cdk-nag's manner: one non-compliant example per rule).
 */
import { describe, expect, it } from "vitest";
import { PROVIDERS } from "../../src/providers";
import { FIELDS, honours } from "../../src/providers/capabilities";
import type { ProviderId } from "../../src/providers/provider";
import { ruleCatalogue } from "../../src/rule-catalogue";
import { ruleIds } from "../helpers";
import { CERTIFICATE, trafficYaml } from "../traffic-yaml";

const sc = (api = "", worker = "") => trafficYaml({ api, worker });
const mesh = (api = "", worker = "") => trafficYaml({ provider: "appmesh", api, worker });
const lattice = (api = "", worker = "") => trafficYaml({ provider: "vpc-lattice", api, worker, apiTimeout: "" });
const top = (yaml: string, lines: string) => yaml.replace("services:\n", `${lines}\nservices:\n`);
/** The environment's load balancer, internal and plain HTTP, but for its rules. */
const WEB = "ingress: { allowedCidrs: [10.0.0.0/8],";
const VERSIONS = "    versions: { v1: {}, v2: {} }\n    routes:\n      - { name: main, priority: 1, to: { v1: 100 } }";
/** The worker with one version and `routes` (YAML flow maps, one a line). */
const routes = (...lines: string[]) => `    versions: { v1: {} }\n    routes:\n${lines.map((l) => `      - ${l}`).join("\n")}`;
const HEADERS = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `x-h${i}: { exact: "1" }`).join(", ")} }`;
/** `n` services that all call the worker: an auth policy naming n task roles. */
const callers = (n: number) =>
  lattice().replace(
    "  worker:",
    `${Array.from({ length: n }, (_, i) => `  caller-${i}:\n    port: 3000\n    cpu: 256\n    memory: 512\n    backends: [worker]`).join("\n")}\n  worker:`,
  );

/** One example per rule: the file (and its name, where it matters) that raises it. */
const EXAMPLES: Record<string, { yaml: string; file?: string }> = {
  MF001: { yaml: "# nothing\n" },
  MF002: { yaml: sc("", "    desiredCount: -1") },
  MF003: { yaml: sc("    cpus: 2") },
  MF004: { yaml: sc('    environment: { GREETING: "${TfToken[TOKEN.1]}" }') },
  MF005: {
    yaml: sc("    memory: 1000\n    acknowledge: { MF203: we know" + " }").replace(
      "    memory: 2048\n    timeout: 30s\n    backends: [worker]\n    memory: 1000",
      "    memory: 1000\n    timeout: 30s\n    backends: [worker]",
    ),
  },
  MF006: { yaml: top(sc(), "acknowledge: { MF305: nothing raises it }") },
  MF101: { yaml: sc(), file: "config/qa.yaml" },
  MF102: { yaml: sc().replace("project: shop", `project: ${"p".repeat(60)}`) },
  MF103: { yaml: sc().replace("environment: dev", "environment: sg-one"), file: "config/sg-one.yaml" },
  MF104: {
    yaml: mesh("    ingress: { allowedCidrs: [10.0.0.0/8] }")
      .replace("backends: [worker]", "backends: [api-gateway]")
      .replace("  worker:", "  api-gateway:"),
  },
  MF201: { yaml: sc().replace("backends: [worker]", "backends: [wroker]") },
  MF202: { yaml: sc("    externalBackends: [weather]") },
  MF203: { yaml: sc().replace("    cpu: 1024\n    memory: 2048\n    timeout: 30s", "    cpu: 1024\n    memory: 1000\n    timeout: 30s") },
  MF204: { yaml: sc('    environment: { APP_PORT: "1" }') },
  MF205: { yaml: sc(`    environment: { BIG: "${"x".repeat(66_000)}" }`) },
  MF301: { yaml: sc("    deployment: { canary: { percent: 5 } }") },
  MF302: { yaml: sc("    deployment: { strategy: canary }") },
  MF303: { yaml: sc("    ingress: { scheme: internet-facing, allowedCidrs: [10.0.0.0/8] }") },
  MF304: { yaml: sc(`    ingress: { certificate: "${CERTIFICATE.replace("eu-west-1", "us-east-1")}", allowedCidrs: [10.0.0.0/8] }`) },
  MF305: { yaml: sc(`    ingress: { scheme: internet-facing, certificate: "${CERTIFICATE}", allowedCidrs: [0.0.0.0/0] }`) },
  MF306: { yaml: mesh("", `${VERSIONS}\n      - { name: main, priority: 2, to: { v2: 100 } }`) },
  MF307: { yaml: mesh("", VERSIONS) },
  MF308: {
    yaml: sc("", "    route: { timeout: 5s, retryPolicy: { maxRetries: 3, perRetryTimeout: 2s, httpRetryEvents: [gateway-error] } }"),
  },
  MF309: {
    yaml: sc(
      "",
      "    timeout: 1s\n    route: { timeout: 9s, retryPolicy: { maxRetries: 2, perRetryTimeout: 3s, httpRetryEvents: [gateway-error] } }",
    ),
  },
  MF310: { yaml: sc("", "    timeout: 60s\n    route: { timeout: 60s }") },
  MF311: { yaml: top(sc(), `${WEB} rules: [{ path: /*, to: nobody }] }`) },
  MF312: { yaml: top(sc("", "    protocol: grpc"), `${WEB} rules: [{ path: /*, to: worker }] }`) },
  MF313: { yaml: top(sc("    deployment: { strategy: blue-green }"), `${WEB} rules: [{ path: /*, to: api }] }`) },
  MF601: { yaml: sc(`    ingress: { scheme: internet-facing, certificate: "${CERTIFICATE}", allowedCidrs: [10.0.0.0/8] }`) },
  MF602: { yaml: sc().replace("port: 3001", "port: 4317") },
  MF603: { yaml: sc("", "    imageTag: latest") },
  MF604: { yaml: sc() },
  MF605: { yaml: sc().replace("mesh: { provider: service-connect }", "mesh: { provider: service-connect, xray: { cpu: 32 } }") },
  MF607: { yaml: sc("    healthCheck: { interval: 5s, timeout: 5s }\n    ingress: { allowedCidrs: [10.0.0.0/8] }") },
  MF608: { yaml: sc().replace("imageTag: v1\n", "") },
  MF606: { yaml: sc().replace("mesh: { provider: service-connect }", "mesh: { provider: service-connect, movedFrom: service-connect }") },
  MF801: { yaml: sc('    user: "0"') },
  MF802: { yaml: sc("    readonlyRootFilesystem: false") },
  MF803: { yaml: sc("    environment: { SMTP_PASSWORD: hunter2 }") },
  MF804: { yaml: sc('    permissions: [{ actions: ["*"], resources: ["arn:aws:s3:::bucket/*"] }]') },
  MF805: { yaml: sc('    permissions: [{ actions: [s3:GetObject], resources: ["*"] }]') },
  MF806: { yaml: sc("    image: docker.io/library/nginx:1.27") },
  MF807: { yaml: sc("    logging: { driver: awsfirelens }") },
  MF808: { yaml: sc("    image: docker.io/library/nginx:1.27\n    imageTag: v2") },
  MF809: { yaml: sc("", "    protocol: tcp\n    timeout: 30s") },
  MF810: {
    yaml: sc('    environment: { DB_USER: app }\n    secrets: { DB_USER: "arn:aws:ssm:eu-west-1:123456789012:parameter/db/user" }'),
  },
  MF811: { yaml: sc("    sidecars: { envoy: { image: docker.io/library/busybox:1.36, memory: 32 } }") },
  MF701: { yaml: sc("", "    desiredCount: 5\n    scaling: { min: 1, max: 4 }") },
  MF702: { yaml: mesh("", "    scaling: { requestsPerTask: 100 }") },
  MF703: {
    yaml: sc("", "    scaling: { max: 1000 }").replace(
      "port: 3001\n    cpu: 1024\n    memory: 2048",
      "port: 3001\n    cpu: 16384\n    memory: 32768",
    ),
  },
  MF704: { yaml: sc("", "    deployment: { strategy: canary, canary: { percent: 5 } }\n    scaling: { max: 10 }") },
  MF705: { yaml: sc("", "    deployment: { strategy: canary, canary: { percent: 5 } }\n    alarms: { errorRate: 5% }") },
  MF706: { yaml: sc("    alarms: { errorRate: 2% }") },
  MF501: { yaml: mesh("", "    desiredCount: 51") },
  MF502: { yaml: mesh() },
  MF503: { yaml: mesh("", "    connectionPool: { maxRequests: 5 }") },
  MF504: { yaml: mesh().replace("port: 3001", "port: 15000") },
  MF511: { yaml: sc("", "    timeout: 1500ms") },
  MF521: { yaml: lattice("", routes("{ name: main, priority: 150, to: { v1: 100 } }")) },
  MF522: {
    yaml: lattice(
      "",
      routes(...Array.from({ length: 6 }, (_, i) => `{ name: r${i}, priority: ${i + 1}, match: { prefix: /r${i} }, to: { v1: 100 } }`)),
    ),
  },
  MF523: { yaml: lattice("", "    route: { timeout: 61s }") },
  MF524: { yaml: callers(200) },
  MF512: { yaml: sc("", "    backends: [api]") },
  MF513: {
    yaml: sc(
      "",
      '    tls: { certificateAuthority: "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" }\n    ingress: { allowedCidrs: [10.0.0.0/8] }',
    ),
  },
};

/** One example per row of the capability table, written where a provider that does not honour it refuses it. */
const PCA = "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
const CAPABILITY_EXAMPLES: Record<keyof typeof FIELDS, Partial<Record<ProviderId, string>>> = {
  egressFilter: {
    appmesh: "",
    "service-connect": "mesh: { provider: service-connect, egress: DROP_ALL }",
    "vpc-lattice": "mesh: { provider: vpc-lattice, egress: DROP_ALL }",
  },
  ipPreference: {
    appmesh: "",
    "service-connect": "mesh: { provider: service-connect, ipPreference: IPv4_ONLY }",
    "vpc-lattice": "mesh: { provider: vpc-lattice, ipPreference: IPv4_ONLY }",
  },
  envoySidecar: {
    appmesh: "",
    "service-connect": "mesh: { provider: service-connect, envoy: { cpu: 128 } }",
    "vpc-lattice": "mesh: { provider: vpc-lattice, envoy: { cpu: 128 } }",
  },
  proxyShare: {
    appmesh: "mesh: { provider: appmesh, proxy: { cpu: 256 } }",
    "service-connect": "",
    "vpc-lattice": "mesh: { provider: vpc-lattice, proxy: { cpu: 256 } }",
  },
  healthyThreshold: { appmesh: "", "service-connect": "    healthCheck: { healthyThreshold: 3 }" },
  outlierDetection: {
    appmesh: "",
    "service-connect": "    outlierDetection: { maxServerErrors: 5, interval: 30s, baseEjectionDuration: 30s, maxEjectionPercent: 50 }",
    "vpc-lattice": "    outlierDetection: { maxServerErrors: 5, interval: 30s, baseEjectionDuration: 30s, maxEjectionPercent: 50 }",
  },
  connectionPool: {
    appmesh: "",
    "service-connect": "    connectionPool: { maxConnections: 10 }",
    "vpc-lattice": "    connectionPool: { maxConnections: 10 }",
  },
  listenerCertificate: {
    appmesh: "",
    "service-connect": `    tls: { certificate: "${CERTIFICATE}", certificateAuthority: "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" }`,
  },
  mutualTls: {
    appmesh: "",
    "service-connect":
      '    tls: { certificateAuthority: "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d", clientValidation: { trust: { file: /ca.pem } } }',
  },
  clientCertificate: {
    appmesh: "",
    "service-connect": "    clientCertificate: { sds: spiffe://x }",
    "vpc-lattice": "    clientCertificate: { sds: spiffe://x }",
  },
  versions: { appmesh: "", "service-connect": "    versions: { v1: {} }" },
  routes: { appmesh: "", "service-connect": "    routes: [{ name: main, priority: 1 }]" },
  routePriority: { appmesh: "", "service-connect": "    route: { priority: 3 }" },
  pathRouting: { appmesh: "", "service-connect": "    route: { prefix: /v2 }" },
  trustFromFilesOrSds: { appmesh: "", "service-connect": "    tls: { certificateAuthority: { file: /ca.pem } }" },
  permissiveTls: {
    appmesh: "",
    "service-connect":
      '    tls: { mode: PERMISSIVE, certificateAuthority: "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" }',
  },
  ecsDeployments: {
    appmesh: "    deployment: { strategy: blue-green }",
    "service-connect": "",
    "vpc-lattice": "    deployment: { strategy: blue-green }",
  },
  testTraffic: {
    appmesh: "    deployment: { strategy: blue-green, testTraffic: { header: x-beta, exact: yes } }",
    "service-connect": "",
    "vpc-lattice": "    deployment: { strategy: blue-green, testTraffic: { header: x-beta, exact: yes } }",
  },
  callerBackoff: {
    appmesh:
      "    route: { retryPolicy: { maxRetries: 1, perRetryTimeout: 1s, httpRetryEvents: [gateway-error], backoff: { base: 10ms } } }",
    "service-connect": "",
  },
  webIngress: { appmesh: `${WEB} rules: [{ path: /*, to: api }] }`, "service-connect": "" },
  serviceTls: { "vpc-lattice": `    tls: { certificateAuthority: "${PCA}" }` },
  plainTcp: { "vpc-lattice": "    protocol: tcp" },
  requestTimeout: { "vpc-lattice": "    timeout: 30s" },
  queryMatch: {
    "vpc-lattice": routes("{ name: main, priority: 1, match: { queryParameters: { beta: { exact: yes } } }, to: { v1: 100 } }"),
  },
  pathRegex: { "vpc-lattice": routes('{ name: main, priority: 1, match: { path: { regex: "/v[0-9]+" } }, to: { v1: 100 } }') },
  headerMatchKind: {
    "vpc-lattice": routes("{ name: main, priority: 1, match: { headers: { x-beta: { suffix: yes } } }, to: { v1: 100 } }"),
  },
  headerCount: { "vpc-lattice": routes(`{ name: main, priority: 1, match: { headers: ${HEADERS(6)} }, to: { v1: 100 } }`) },
  routeRetryPolicy: {
    "vpc-lattice": routes(
      "{ name: beta, priority: 1, match: { headers: { x-beta: { exact: yes } } }, to: { v1: 100 }, retryPolicy: { maxRetries: 1, perRetryTimeout: 1s, httpRetryEvents: [gateway-error] } }",
      "{ name: main, priority: 2, to: { v1: 100 } }",
    ),
  },
  routeTimeout: {
    "vpc-lattice": routes(
      "{ name: beta, priority: 1, match: { headers: { x-beta: { exact: yes } } }, to: { v1: 100 }, timeout: 5s }",
      "{ name: main, priority: 2, to: { v1: 100 } }",
    ),
  },
};

describe("rules", () => {
  const catalogue = ruleCatalogue();

  it("each have an id of their own", () => {
    const ids = catalogue.map((r) => r.id);
    expect(ids.every((id) => /^MF\d{3}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(Object.entries(EXAMPLES))("%s is raised, at its level, by its example", (id, { yaml, file }) => {
    const rule = catalogue.find((r) => r.id === id)!;
    expect(rule, `${id} is in the catalogue`).toBeDefined();
    expect(ruleIds(yaml, file)).toContain(`${id} ${rule.level}`);
  });

  it("each have an example, apart from the capability table's rows (below) and the review's findings (MF9xx, test/review/findings.test.ts)", () => {
    const rows = new Set(Object.values(FIELDS).map((f) => f.rule.id));
    expect(catalogue.map((r) => r.id).filter((id) => !rows.has(id) && !id.startsWith("MF9") && !(id in EXAMPLES))).toEqual([]);
  });

  describe("of the capability table", () => {
    it.each(Object.entries(FIELDS))(
      "%s: honoured where the table says, refused at its line elsewhere, with the alternative",
      (key, row) => {
        const examples = CAPABILITY_EXAMPLES[key as keyof typeof FIELDS];
        for (const provider of Object.keys(PROVIDERS) as ProviderId[]) {
          if ((row.honouredBy as readonly string[]).includes(provider)) continue;
          // A row inside another (a route's matches, TLS's parts) is for the providers that honour the outer one.
          const within = "within" in row ? row.within : undefined;
          if (within && !honours(provider, within)) {
            expect((row.refusal as Record<string, string>)[provider], `${key} needs no message for ${provider}`).toBeUndefined();
            continue;
          }
          const line = examples[provider];
          expect(line, `${key} has an example under ${provider}`).toBeDefined();
          const apiTimeout = honours(provider, "requestTimeout") ? "30s" : "";
          const yaml = line!.startsWith("mesh:")
            ? trafficYaml({ provider, apiTimeout }).replace(`mesh: { provider: ${provider} }`, line!)
            : line!.startsWith(" ")
              ? trafficYaml({ provider, worker: line, apiTimeout })
              : top(trafficYaml({ provider, apiTimeout }), line!);
          expect(ruleIds(yaml), `${key} under ${provider}`).toContain(`${row.rule.id} error`);
          expect((row.refusal as Record<string, string>)[provider], `${key}'s message for ${provider}`).toMatch(
            /remove|use|give|set|size|release/,
          );
        }
      },
    );
  });
});
