/** A file acknowledges the warnings it accepts, by rule id and with a reason; errors cannot be acknowledged. */
import { describe, expect, it } from "vitest";
import { ruleIds, validate } from "../helpers";
import { trafficYaml } from "../traffic-yaml";

const CANARY = "    deployment: { strategy: canary }";
const TIMEOUT = "    timeout: 60s\n    route: { timeout: 60s }";

describe("acknowledgements", () => {
  it("keep a service's warning, with the reason, out of what validate prints", () => {
    const yaml = trafficYaml({ worker: `${CANARY}\n    acknowledge: { MF302: "the 5xx alarm is added by the monitoring stack" }` });
    expect(ruleIds(yaml)).toEqual(["MF302 warning (acknowledged)"]);
    expect(validate(yaml)).toEqual([]);
  });

  it("apply to every service when written at the top, and a service's own acknowledgement first", () => {
    const yaml = trafficYaml({
      api: CANARY,
      worker: `${CANARY}\n${TIMEOUT}\n    acknowledge: { MF302: "worker's reason" }`,
    }).replace("services:\n", 'acknowledge: { MF302: "everyone\'s reason", MF310: "clients retry" }\nservices:\n');
    expect(ruleIds(yaml).sort()).toEqual(["MF302 warning (acknowledged)", "MF310 warning (acknowledged)"]);
    expect(validate(yaml)).toEqual([]);
  });

  it("do not reach another service's warnings", () => {
    const yaml = trafficYaml({ api: CANARY, worker: `${CANARY}\n    acknowledge: { MF302: "worker only" }` });
    expect(validate(yaml, "dev.yaml")).toEqual([
      "dev.yaml:14:29 services.api.deployment.strategy: warning: ECS's circuit breaker covers rolling and blue-green deployments only, so a canary deployment rolls back only when one of its rollbackAlarms goes into ALARM: name at least one (e.g. the service's 5xx rate)",
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
