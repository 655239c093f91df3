/** App Mesh TLS from files and SDS, and mutual TLS: the listener asks for callers' certificates, callers present theirs. */
import { describe, expect, it } from "vitest";
import { resolve, validate } from "../../helpers";
import { type Json, one, synthStack } from "../../stack-helpers";
import { TRAFFIC_FILE, trafficYaml } from "../../traffic-yaml";

const WORKER_TLS = [
  "    tls:",
  "      certificate: { file: { chain: /certs/worker.pem, key: /certs/worker.key } }",
  "      certificateAuthority: { file: /certs/ca.pem }",
  '      clientValidation: { trust: { sds: "spiffe://shop/ca" }, subjectAlternativeNames: ["spiffe://shop/api"] }',
].join("\n");
const API_CERTIFICATE = '    clientCertificate: { sds: "spiffe://shop/api" }';

describe("mutual TLS under App Mesh", () => {
  const stack = synthStack(resolve(trafficYaml({ provider: "appmesh", api: API_CERTIFICATE, worker: WORKER_TLS })));
  const node = (name: string) => one(stack, "aws_appmesh_virtual_node", (n) => n.name === name).spec as Json;

  it("serves the file certificate and asks callers for one that chains to the SDS trust, with the names allowed", () => {
    expect(node("dev-shop-worker-node").listener[0].tls).toEqual({
      mode: "STRICT",
      certificate: { file: { certificate_chain: "/certs/worker.pem", private_key: "/certs/worker.key" } },
      validation: {
        trust: { sds: { secret_name: "spiffe://shop/ca" } },
        subject_alternative_names: { match: { exact: ["spiffe://shop/api"] } },
      },
    });
  });

  it("has the caller verify the service against the CA file and present its SDS certificate", () => {
    expect(node("dev-shop-api-node").backend[0].virtual_service.client_policy).toEqual({
      tls: {
        enforce: true,
        ports: [3001],
        validation: { trust: { file: { certificate_chain: "/certs/ca.pem" } } },
        certificate: { sds: { secret_name: "spiffe://shop/api" } },
      },
    });
  });

  it("grants no ACM or Private CA access where neither is used", () => {
    const statements = (role: string) =>
      JSON.parse(one(stack, "aws_iam_role_policy", (p) => p.role.includes(`${role}-iam_task-role`)).policy).Statement.map(
        (s: Json) => s.Sid,
      );
    expect(statements("worker")).toEqual(["AppMeshOwnNode", "XRayWrite"]);
    expect(statements("api")).toEqual(["AppMeshOwnNode", "XRayWrite"]);
  });

  it("refuses a caller without a certificate, and an ingress that could present none", () => {
    expect(
      validate(trafficYaml({ provider: "appmesh", worker: `${WORKER_TLS}\n    ingress: { allowedCidrs: [10.0.0.0/8] }` }), TRAFFIC_FILE),
    ).toEqual([
      'dev.yaml:13:16 services.api.backends[0]: worker requires mutual TLS (tls.clientValidation): give api a clientCertificate ({ file: { chain, key } } or { sds: "secret name" })',
      "dev.yaml:22:5 services.worker.ingress: the ingress gateway presents no client certificate, so it cannot reach a service that requires mutual TLS; put the ingress on a service that calls this one",
    ]);
  });

  it("says what a certificate may be", () => {
    expect(
      validate(
        trafficYaml({ provider: "appmesh", worker: "    tls: { certificate: { path: /x }, certificateAuthority: { file: /ca.pem } }" }),
        TRAFFIC_FILE,
      ),
    ).toEqual([
      'dev.yaml:18:12 services.worker.tls.certificate: must be an ACM certificate ARN, { file: { chain, key } } or { sds: "secret name" }',
    ]);
  });
});

describe("mutual TLS under Service Connect", () => {
  it("is refused with the reason, as is a CA other than AWS Private CA", () => {
    expect(
      validate(
        trafficYaml({
          api: API_CERTIFICATE,
          worker: WORKER_TLS.replace("      certificate: { file: { chain: /certs/worker.pem, key: /certs/worker.key } }\n", ""),
        }),
        TRAFFIC_FILE,
      ),
    ).toEqual([
      "dev.yaml:14:5 services.api.clientCertificate: Service Connect's proxies present no client certificates (no mutual TLS); remove clientCertificate",
      "dev.yaml:20:7 services.worker.tls.certificateAuthority: Service Connect issues certificates from an AWS Private CA only: give the CA's ARN (arn:aws:acm-pca:...)",
      "dev.yaml:21:7 services.worker.tls.clientValidation: Service Connect's TLS authenticates the service to its callers, not the callers to it (no mutual TLS); remove clientValidation",
    ]);
  });
});
