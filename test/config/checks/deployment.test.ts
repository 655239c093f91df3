/** Deployment strategies and ingress: each setting that does not fit is an error at its line, saying what to do. */
import { describe, expect, it } from "vitest";
import { resolve, validate } from "../../helpers";
import { CERTIFICATE, TRAFFIC_FILE, trafficYaml } from "../../traffic-yaml";

describe("deployment strategies", () => {
  it("resolves a canary with its share, its bake times and the alarms that roll it back", () => {
    const env = resolve(
      trafficYaml({
        worker:
          "    deployment: { strategy: canary, canary: { percent: 12.5, bakeTime: 5m }, bakeTime: 20m, rollbackAlarms: [worker-5xx] }",
      }),
    );
    expect(env.services[1]!.deployment).toMatchObject({
      strategy: "canary",
      canary: { percent: 12.5, bakeTimeMinutes: 5 },
      bakeTimeMinutes: 20,
      rollbackAlarms: ["worker-5xx"],
    });
    expect(env.services[1]!.deployment.linear).toBeUndefined();
  });

  it("gives a strategy named alone AWS's defaults: canary 5% for 10m, linear 10% every 6m, 10m of bake time", () => {
    const canary = resolve(trafficYaml({ worker: "    deployment: { strategy: canary, rollbackAlarms: [a] }" })).services[1]!.deployment;
    const linear = resolve(trafficYaml({ worker: "    deployment: { strategy: linear, rollbackAlarms: [a] }" })).services[1]!.deployment;
    expect([canary.canary, canary.bakeTimeMinutes]).toEqual([{ percent: 5, bakeTimeMinutes: 10 }, 10]);
    expect([linear.linear, linear.bakeTimeMinutes]).toEqual([{ stepPercent: 10, stepBakeTimeMinutes: 6 }, 10]);
  });

  it("refuses settings of another strategy, and what a rolling deployment has no use for, each at its line", () => {
    const text = trafficYaml({
      api: '    deployment: { bakeTime: 5m, testTraffic: { header: x-beta, exact: "1" }, canary: { percent: 10 } }',
      worker: "    deployment: { strategy: linear, canary: { percent: 10 }, rollbackAlarms: [worker-5xx] }",
    });
    expect(validate(text, TRAFFIC_FILE)).toEqual([
      "dev.yaml:14:19 services.api.deployment.bakeTime: applies to blue-green, linear and canary deployments, which keep the old revision running for it; a rolling deployment has none: remove bakeTime or set a strategy",
      "dev.yaml:14:33 services.api.deployment.testTraffic: marks requests for the new revision while a blue-green, linear or canary deployment runs; a rolling deployment has no new revision to test apart: remove testTraffic or set a strategy",
      "dev.yaml:14:78 services.api.deployment.canary: applies only to strategy: canary (this deployment is rolling); remove canary or set strategy: canary",
      "dev.yaml:19:37 services.worker.deployment.canary: applies only to strategy: canary (this deployment is linear); remove canary or set strategy: canary",
    ]);
  });

  it("checks AWS's ranges: percentages in steps of 0.1, bake times in whole minutes up to a day", () => {
    const text = trafficYaml({
      worker: "    deployment: { strategy: linear, linear: { stepPercent: 2.5, stepBakeTime: 90s }, bakeTime: 1441m, rollbackAlarms: [a] }",
    });
    expect(validate(text, TRAFFIC_FILE)).toEqual([
      "dev.yaml:18:60 services.worker.deployment.linear.stepPercent: must be from 3 to 100, in steps of 0.1, got 2.5",
      'dev.yaml:18:79 services.worker.deployment.linear.stepBakeTime: must be whole minutes from 0m to 1440m (24 hours), as ECS takes it, got "90s"',
      'dev.yaml:18:96 services.worker.deployment.bakeTime: must be whole minutes from 0m to 1440m (24 hours), as ECS takes it, got "1441m"',
    ]);
  });

  // ECS guide, "Amazon ECS deployment failure detection": circuit breaker and alarms "only support rolling update
  // deployment and blue/green deployment types" (issue 15, row 6): without alarms a canary never rolls back.
  it("refuses a linear or canary deployment without alarms, which could not roll back", () => {
    // worker is called by api, so meshform's own error-rate and latency alarms roll it back (checks/operate.ts)...
    expect(validate(trafficYaml({ worker: "    deployment: { strategy: canary }" }), TRAFFIC_FILE)).toEqual([]);
    // ...unless they are off, or do not roll back, and rollbackAlarms names none.
    expect(validate(trafficYaml({ worker: "    deployment: { strategy: canary }\n    alarms: false" }), TRAFFIC_FILE)).toEqual([
      "dev.yaml:18:29 services.worker.deployment.strategy: ECS's circuit breaker covers rolling and blue-green deployments only, so a canary deployment rolls back only when one of its alarms goes into ALARM, and meshform's own alarms do not roll it back here (alarms: false, or alarms.rollback: false): name at least one in rollbackAlarms (e.g. the service's 5xx rate)",
    ]);
    expect(
      validate(trafficYaml({ worker: "    deployment: { strategy: linear }\n    alarms: { rollback: false }" }), TRAFFIC_FILE),
    ).toHaveLength(1);
    // api has no caller and no ingress: nothing of meshform's measures its answers.
    expect(validate(trafficYaml({ api: "    deployment: { strategy: canary }" }), TRAFFIC_FILE)).toEqual([
      "dev.yaml:14:29 services.api.deployment.strategy: ECS's circuit breaker covers rolling and blue-green deployments only, so a canary deployment rolls back only when one of its alarms goes into ALARM, and meshform has no alarm of its own to roll it back (no service of this file calls it, so there is no error rate or latency, and it has no ingress): name at least one in rollbackAlarms (e.g. the service's 5xx rate)",
    ]);
    expect(validate(trafficYaml({ worker: "    deployment: { strategy: blue-green }\n    alarms: false" }), TRAFFIC_FILE)).toEqual([]);
  });

  it("refuses ECS's strategies under App Mesh, where ECS cannot shift traffic, and test traffic with them", () => {
    const text = trafficYaml({
      provider: "appmesh",
      worker: '    deployment: { strategy: canary, rollbackAlarms: [a], testTraffic: { header: x-beta, exact: "1" } }',
    });
    expect(validate(text, TRAFFIC_FILE)).toEqual([
      "dev.yaml:18:29 services.worker.deployment.strategy: ECS shifts traffic between revisions only through Service Connect or a load balancer, and App Mesh services are found through Cloud Map; under App Mesh, release with versions and routes that weigh them (e.g. to: { v1: 90, v2: 10 }): use strategy: rolling",
      "dev.yaml:18:58 services.worker.deployment.testTraffic: routes test traffic through Service Connect's proxies; under App Mesh, give the new version a route that matches the header (routes[].match.headers): remove testTraffic",
    ]);
  });
});

describe("ingress", () => {
  it("resolves to an internal TLS listener on 443 for the allowed blocks", () => {
    const env = resolve(trafficYaml({ api: `    ingress: { certificate: ${CERTIFICATE}, allowedCidrs: [10.0.0.0/8, 192.168.0.0/16] }` }));
    expect(env.services[0]!.ingress).toEqual({
      port: 443,
      scheme: "internal",
      certificateArn: CERTIFICATE,
      allowedCidrs: ["10.0.0.0/8", "192.168.0.0/16"],
    });
  });

  it("refuses an internet-facing one without TLS, a certificate of another region, and no CIDR", () => {
    const other = CERTIFICATE.replace("eu-west-1", "us-east-1");
    const text = trafficYaml({
      api: `    ingress: { scheme: internet-facing, allowedCidrs: [0.0.0.0/0] }\n    deployment: { strategy: blue-green }`,
      worker: `    ingress: { certificate: ${other}, allowedCidrs: [] }`,
    });
    expect(validate(text, TRAFFIC_FILE)).toEqual([
      "dev.yaml:14:24 services.api.ingress.scheme: an internet-facing load balancer must terminate TLS, so that readings never cross the internet in clear text: add certificate (an ACM certificate ARN) or use scheme: internal",
      "dev.yaml:14:24 services.api.ingress.scheme: an internet-facing load balancer must be in public subnets (with a route to an internet gateway), and network.subnetIds are the tasks' private ones: add network.publicSubnetIds, or use scheme: internal",
      "dev.yaml:14:56 services.api.ingress.allowedCidrs[0]: warning: opens the load balancer to the whole internet; name the networks that should reach it if you can (a public website acknowledges MF305)",
      "dev.yaml:20:29 services.worker.ingress.certificate: is in us-east-1, but a load balancer can only use an ACM certificate of its own region, eu-west-1: request or import it there",
      "dev.yaml:20:114 services.worker.ingress.allowedCidrs: must name at least one CIDR block: the load balancer admits no one else",
    ]);
  });

  it("refuses what is not a CIDR block or an ACM certificate", () => {
    const text = trafficYaml({
      api: "    ingress: { certificate: arn:aws:iam::123456789012:server-certificate/x, allowedCidrs: [10.0.0.0/33, 10.0.0.0] }",
    });
    expect(validate(text, TRAFFIC_FILE)).toEqual([
      'dev.yaml:14:29 services.api.ingress.certificate: must be an ACM certificate ARN such as "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d", got "arn:aws:iam::123456789012:server-certificate/x"',
      'dev.yaml:14:92 services.api.ingress.allowedCidrs[0]: must be an IPv4 CIDR block such as "10.0.0.0/8", got "10.0.0.0/33"',
      'dev.yaml:14:105 services.api.ingress.allowedCidrs[1]: must be an IPv4 CIDR block such as "10.0.0.0/8", got "10.0.0.0"',
    ]);
  });
});
