/** What VPC Lattice refuses or warns about, at the line that asks for it, with what to do instead. */
import { describe, expect, it } from "vitest";
import { edit, validate } from "../../helpers";
import { LATTICE_FILE, LATTICE_YAML } from "./lattice-yaml";

const check = (text: string) => validate(text, LATTICE_FILE);
const WORKER = "  worker:\n    port: 3001\n";

describe("VPC Lattice", () => {
  it("accepts its own fixture: versions, header, path and method routes, weights, a caller's retry policy", () => {
    expect(check(LATTICE_YAML)).toEqual([]);
  });

  it("refuses a request timeout, TLS and plain TCP, each at its line with the alternative", () => {
    const text = edit(
      LATTICE_YAML,
      WORKER,
      `${WORKER}    timeout: 20s\n    tls: { certificateAuthority: "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d" }\n`,
    );
    expect(check(text)).toEqual([
      "shop.yaml:32:14 services.worker.timeout: VPC Lattice has no per-request timeout (only an idle timeout, 60s by default, on connections to the tasks); remove timeout: a caller's deadline is the backend's route.timeout (or routes[].timeout), which the caller enforces",
      "shop.yaml:33:5 services.worker.tls: VPC Lattice encrypts every call already: meshform gives each service an HTTPS listener with the certificate Lattice manages for its domain name, and its callers an https URL; remove tls (Lattice connects to the tasks in plain HTTP inside the VPC, and uses no certificate or Private CA of yours)",
    ]);
    expect(
      check(edit(LATTICE_YAML, "    protocol: http2\n", "    protocol: tcp\n    route: {}\n").replace(/\n {4}route: \{ timeout.*\n/, "\n")),
    ).toEqual([
      "shop.yaml:34:15 services.worker.protocol: VPC Lattice carries HTTP and HTTPS, and TCP only inside TLS the client speaks end to end (a TLS passthrough listener); use Service Connect for this environment, or give the service an HTTP interface",
    ]);
  });

  it("refuses what a listener rule cannot match, and routes whose retries or deadlines differ, at the route", () => {
    const beta =
      '      - { name: beta, priority: 10, match: { headers: { x-beta-user: { exact: "true" }, x-tenant: { prefix: acme- } } }, to: { v2: 100 }, timeout: 20s }\n';
    const text = edit(
      LATTICE_YAML,
      beta,
      '      - { name: beta, priority: 10, match: { headers: { x-beta-user: { suffix: "true" } }, queryParameters: { beta: { exact: "1" } } }, to: { v2: 100 }, timeout: 5s }\n      - { name: regex, priority: 15, match: { path: { regex: "/v[0-9]+" } }, to: { v1: 100 }, timeout: 20s }\n',
    );
    expect(check(text)).toEqual([
      "shop.yaml:26:46 services.api.routes[0].match.headers: VPC Lattice matches a header's value exactly or by its prefix (or what it contains), and cannot invert a match; use exact or prefix (suffix, regex, range, present and invert are App Mesh's)",
      "shop.yaml:26:92 services.api.routes[0].match.queryParameters: VPC Lattice rules match a method, a path and headers, not query parameters; remove queryParameters, and use a header instead (match.headers)",
      "shop.yaml:26:163 services.api.routes[0].timeout: VPC Lattice has no request timeout: the caller bounds its call, with one deadline for the whole service, since it cannot tell which rule takes a request; give every route of this service the same timeout",
      "shop.yaml:27:62 services.api.routes[1].match.path.regex: VPC Lattice matches a path exactly or by its prefix, not by a regular expression; use path: { exact } or prefix, with one route per path if need be",
    ]);
  });

  it("matches at most 5 headers in a rule", () => {
    const headers = Array.from({ length: 6 }, (_, i) => `x-h${i}: { exact: "1" }`).join(", ");
    const text = edit(LATTICE_YAML, 'x-beta-user: { exact: "true" }, x-tenant: { prefix: acme- }', headers);
    expect(check(text)).toEqual([
      "shop.yaml:26:46 services.api.routes[0].match.headers: VPC Lattice matches at most 5 headers in one rule; match 5 or fewer, and give the rest to the app",
    ]);
  });

  it("says where a route's retry policy differs from the others', since one caller enforces one", () => {
    const text = edit(
      LATTICE_YAML,
      "to: { v1: 100 }, timeout: 20s }",
      "to: { v1: 100 }, timeout: 20s, retryPolicy: { maxRetries: 1, perRetryTimeout: 5s, httpRetryEvents: [gateway-error] } }",
    );
    expect(check(text)).toEqual([
      "shop.yaml:28:98 services.api.routes[2].retryPolicy: VPC Lattice does not retry: the caller does, with one policy for the whole service, since it cannot tell which rule takes a request; give every route of this service the same retryPolicy",
    ]);
  });

  it("keeps rule priorities to 1-100 and warns beyond 5 rules a listener", () => {
    const text = edit(edit(LATTICE_YAML, "priority: 10,", "priority: 0,"), "priority: 30,", "priority: 101,");
    expect(check(text)).toEqual([
      "shop.yaml:26:33 services.api.routes[0].priority: is 0; a VPC Lattice listener rule's priority is from 1 to 100 (1 first): renumber the routes within it",
      "shop.yaml:28:35 services.api.routes[2].priority: is 101; a VPC Lattice listener rule's priority is from 1 to 100 (1 first): renumber the routes within it",
    ]);
    const more = [1, 2, 3]
      .map((i) => `      - { name: extra${i}, priority: ${30 + i}, match: { prefix: /extra${i} }, to: { v1: 100 }, timeout: 20s }\n`)
      .join("");
    const many = edit(LATTICE_YAML, "      - { name: main,", `${more}      - { name: main,`);
    expect(check(many)).toEqual([
      'shop.yaml:25:5 services.api.routes: warning: make 6 listener rules; VPC Lattice allows 5 per listener by default (Service Quotas, VPC Lattice, "Rules per listener"): request an increase before deploying',
    ]);
  });

  it("warns when one try may outlast Lattice's idle timeout, at the field that sets it", () => {
    const text = edit(LATTICE_YAML, "perRetryTimeout: 10s", "perRetryTimeout: 61s").replace(
      "timeout: 30s, retryPolicy: { maxRetries: 2",
      "timeout: 200s, retryPolicy: { maxRetries: 2",
    );
    expect(check(text)).toEqual([
      "shop.yaml:35:76 services.worker.route.retryPolicy.perRetryTimeout: warning: lets one try take 61s; VPC Lattice closes a connection to a task idle for 60s (its default), so a try that waits longer for its answer fails: keep each try within 60s, or have the app answer sooner",
    ]);
  });

  it("checks no listener timeout along a call: a caller's deadline is all there is (under Service Connect the same file warns)", () => {
    const longRoute = edit(LATTICE_YAML, "route: { timeout: 30s,", "route: { timeout: 50s,");
    expect(check(longRoute)).toEqual([]);
    const underServiceConnect = longRoute
      .replace("mesh: { provider: vpc-lattice }", "mesh: { provider: service-connect }")
      .replace(/ +versions:[\s\S]*?(?= {2}worker:)/, "");
    expect(check(underServiceConnect).filter((l) => l.includes("services.web.timeout"))).toEqual([
      "shop.yaml:9:3 services.web.timeout: warning: 15s ends web's requests before its call to worker can finish: that call may take up to 50s (worker's route.timeout, retries included), so web's clients get a 504 first; raise it to at least 50s",
    ]);
  });

  it("reserves the variables that tell a caller how to sign", () => {
    const text = edit(
      LATTICE_YAML,
      "    backends: [api, worker]\n",
      "    backends: [api, worker]\n    environment: { API_SIGV4_REGION: us-east-1 }\n",
    );
    expect(check(text)).toEqual([
      "shop.yaml:15:20 services.web.environment.API_SIGV4_REGION: is set by meshform: how calls to api are signed (SigV4), which VPC Lattice requires of its callers; remove it from environment",
    ]);
  });
});
