/** A file acknowledges the warnings it accepts, by rule id and with a reason; errors cannot be acknowledged. */
import { describe, expect, it } from "vitest";
import { ruleIds, validate } from "../helpers";
import { CERTIFICATE, trafficYaml } from "../traffic-yaml";

/** api's 30s timeout ends its calls to a worker whose route allows 60s: MF310 at api's timeout. */
const SLOW_WORKER = "    timeout: 60s\n    route: { timeout: 60s }";
/** An internet-facing load balancer open to the world: MF305. */
const OPEN = `    ingress: { scheme: internet-facing, certificate: "${CERTIFICATE}", allowedCidrs: [0.0.0.0/0] }`;
const PUBLIC =
  "network: { vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0123456789abcdef0], publicSubnetIds: [subnet-0123456789abcdef2] }";
const withPublicSubnets = (yaml: string) => yaml.replace(/^network: .*$/m, PUBLIC);

describe("acknowledgements", () => {
  it("keep a service's warning, with the reason, out of what validate prints", () => {
    const yaml = trafficYaml({ api: '    acknowledge: { MF310: "clients retry on 504" }', worker: SLOW_WORKER });
    expect(ruleIds(yaml).filter((r) => !r.startsWith("MF604"))).toEqual(["MF310 warning (acknowledged)"]);
    expect(validate(yaml)).toEqual([]);
  });

  it("apply to every service when written at the top, and a service's own acknowledgement first", () => {
    const yaml = withPublicSubnets(
      trafficYaml({ api: `${OPEN}\n    acknowledge: { MF305: "api's own reason" }`, worker: `${SLOW_WORKER}\n${OPEN}` }),
    ).replace("services:\n", 'acknowledge: { MF305: "everyone\'s reason", MF310: "clients retry" }\nservices:\n');
    expect(
      ruleIds(yaml)
        .filter((r) => !r.startsWith("MF604"))
        .sort(),
    ).toEqual(["MF305 warning (acknowledged)", "MF310 warning (acknowledged)"]);
    expect(validate(yaml)).toEqual([]);
  });

  it("do not reach another service's warnings", () => {
    const yaml = trafficYaml({ api: "", worker: `${SLOW_WORKER}\n    acknowledge: { MF310: "worker only" }` });
    expect(validate(yaml, "dev.yaml", { ids: true })).toEqual([
      "dev.yaml:12:14 services.api.timeout: warning: 30s ends api's requests before its call to worker can finish: that call may take up to 60s (worker's route.timeout, retries included), so api's clients get a 504 first; raise it to at least 60s [MF310]",
      "dev.yaml:20:20 services.worker.acknowledge.MF310: warning: nothing in services.worker raises MF310 as a warning; remove this acknowledgement [MF006]",
    ]);
  });

  it("cannot silence an error, and say so at the acknowledgement", () => {
    const yaml = trafficYaml({ worker: '    acknowledge: { MF203: "we know" }' }).replace(
      "  worker:\n    port: 3001\n    cpu: 1024\n    memory: 2048",
      "  worker:\n    port: 3001\n    cpu: 1024\n    memory: 1000",
    );
    expect(validate(yaml, "dev.yaml", { ids: true })).toEqual([
      "dev.yaml:17:13 services.worker.memory: 1000 MiB is not a Fargate size with cpu 1024; allowed: 2048-8192 in steps of 1024 [MF203]",
      "dev.yaml:18:20 services.worker.acknowledge.MF203: MF203 is an error here, and errors cannot be acknowledged: fix what it says instead [MF005]",
    ]);
  });

  it("that match nothing are a warning, so that stale ones do not pile up", () => {
    const yaml = trafficYaml({ worker: '    acknowledge: { MF305: "left over" }' });
    expect(validate(yaml, "dev.yaml", { ids: true })).toEqual([
      "dev.yaml:18:20 services.worker.acknowledge.MF305: warning: nothing in services.worker raises MF305 as a warning; remove this acknowledgement [MF006]",
    ]);
  });

  it("need a rule id and a reason", () => {
    const yaml = trafficYaml({ worker: '    acknowledge: { MF3: "x", MF302: "" }' });
    expect(validate(yaml, "dev.yaml")).toEqual([
      'dev.yaml:18:20 services.worker.acknowledge.MF3: must be a rule id such as "MF305", as printed at the end of a warning',
      'dev.yaml:18:37 services.worker.acknowledge.MF302: must give the reason the warning is accepted, got ""',
    ]);
  });
});
