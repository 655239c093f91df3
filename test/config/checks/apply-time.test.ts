/**
 * What AWS enforces at apply time that an offline plan cannot see (issue 15), refused or warned of at the line
 * that asks for it. Each test names its source, as the rule does (src/config/rules.ts).
 */
import { describe, expect, it } from "vitest";
import { validate } from "../../helpers";
import { CERTIFICATE, trafficYaml } from "../../traffic-yaml";

const FILE = "dev.yaml";
const check = (yaml: string) => validate(yaml, FILE, { ids: true, endOfLife: true });

describe("apply-time rules", () => {
  // ELB guide, "Clients cannot connect to an internet-facing load balancer": "You must specify public subnets for
  // your load balancer. A public subnet has a route to the Internet Gateway" (row 12).
  it("refuse an internet-facing load balancer without public subnets, and place it in them when given", () => {
    const ingress = `    ingress: { scheme: internet-facing, certificate: "${CERTIFICATE}", allowedCidrs: [10.0.0.0/8] }`;
    const yaml = trafficYaml({ api: ingress }).replace(
      /^services:/m,
      "state: { bucket: tf-state-bucket, key: dev.tfstate, region: eu-west-1 }\nservices:",
    );
    expect(check(yaml)).toEqual([
      "dev.yaml:15:24 services.api.ingress.scheme: an internet-facing load balancer must be in public subnets (with a route to an internet gateway), and network.subnetIds are the tasks' private ones: add network.publicSubnetIds, or use scheme: internal [MF601]",
    ]);
    const placed = yaml.replace(
      "subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1] }",
      "subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1], publicSubnetIds: [subnet-0123456789abcdef2] }",
    );
    expect(check(placed)).toEqual([]);
  });

  // ECS guide, task networking (awsvpc): the containers of a task share its network namespace (row 14).
  it("refuse an app on a port of the tracing collector beside it, whichever collector it is", () => {
    const adot = trafficYaml({}).replace("port: 3001", "port: 2000");
    expect(check(adot).filter((l) => l.includes("MF602"))).toEqual([
      "dev.yaml:15:11 services.worker.port: 2000 is a port of the tracing collector (ADOT) beside the app in every task (2000, 4317, 4318, 13133); containers of a task share its network, so the app cannot listen on it: choose another port [MF602]",
    ]);
    const daemon = adot.replace("services:", "tracing: { collector: xray-daemon }\nservices:");
    expect(check(daemon).filter((l) => l.includes("MF602"))).toEqual([
      "dev.yaml:16:11 services.worker.port: 2000 is a port of the X-Ray daemon beside the app in every task (2000); containers of a task share its network, so the app cannot listen on it: choose another port [MF602]",
    ]);
    expect(check(daemon.replace("port: 2000", "port: 4317")).filter((l) => l.includes("MF602"))).toEqual([]);
    expect(check(adot.replace("services:", "tracing: { collector: none }\nservices:")).filter((l) => l.includes("MF602"))).toEqual([]);
  });

  // ECR guide, "Preventing image tags from being overwritten": an IMMUTABLE repository refuses a tag it holds (row 14).
  it("refuse latest, which an immutable repository takes once", () => {
    expect(check(trafficYaml({ worker: "    imageTag: latest" })).filter((l) => l.includes("MF603"))).toEqual([
      "dev.yaml:18:15 services.worker.imageTag: the environment's ECR repositories keep tags immutable (a running task's image cannot change under it), so \"latest\" could be pushed once and never again: tag each release anew, e.g. with its commit [MF603]",
    ]);
  });

  // GitHub-hosted runners are fresh machines: state in a local file is lost with them (row 10).
  it("warn of local state where the environment deploys, not under App Mesh, which cannot deploy any more", () => {
    expect(check(trafficYaml({}))).toEqual([
      "dev.yaml:1:14 environment: warning: keeps its Terraform state in a local file (terraform.<env>.tfstate), which suits one person's machine; CI (.github/workflows/apply.yml) applies only environments with a remote state: add state: { bucket, key, region } [MF604]",
    ]);
    expect(check(trafficYaml({ provider: "appmesh" })).filter((l) => l.includes("MF604"))).toEqual([]);
  });

  it("say where a field moved", () => {
    const yaml = trafficYaml({}).replace("mesh: { provider: service-connect }", "mesh: { provider: service-connect, xray: { cpu: 32 } }");
    expect(check(yaml).filter((l) => l.includes("MF605"))).toEqual([
      "dev.yaml:6:36 mesh.xray: moved to tracing: the collector beside every app is set by tracing (e.g. tracing: { collector: xray-daemon, image, cpu, memory }, or collector: adot, the default, or none) [MF605]",
    ]);
  });

  // ECS guide, Service Connect networking: the proxy listens on the app's container port (on Fargate, unless
  // ingressPortOverride moves it), so a load balancer's target group reaches the proxy; with TLS on it speaks TLS
  // only (issue 15, row 4).
  it("refuse Service Connect TLS behind the service's own load balancer, naming what to do instead", () => {
    const ca = "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    const yaml = trafficYaml({ worker: `    tls: { certificateAuthority: "${ca}" }\n    ingress: { allowedCidrs: [10.0.0.0/8] }` });
    expect(check(yaml).filter((l) => l.includes("MF513"))).toEqual([
      "dev.yaml:19:5 services.worker.ingress: reaches worker's tasks on port 3001, where the Service Connect proxy listens and, with tls, speaks TLS only: the load balancer's plain connections and health checks would fail. Put the ingress on a service without tls that calls worker (the proxies encrypt that call), or remove tls [MF513]",
    ]);
  });
});
