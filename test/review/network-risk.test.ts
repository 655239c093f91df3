/**
 * Who may reach the tasks after a change: a new caller or peer a group admits (MF924, low) beside a CIDR (MF909,
 * medium), from changes to a small Service Connect environment (trafficYaml: worker's extra lines from line 18).
 */
import { describe, expect, it } from "vitest";
import type { Json } from "../../src/review/diff";
import { edit } from "../helpers";
import { TRAFFIC_FILE, trafficYaml } from "../traffic-yaml";
import { riskLines } from "./review-helpers";

const INGRESS = "    ingress: { port: 443, allowedCidrs: [10.0.0.0/8] }";
const BASE = trafficYaml({ worker: INGRESS });
const findings = (after: string, before = BASE, patch?: (stack: Json) => void) => riskLines(before, after, TRAFFIC_FILE, patch);
const ingressRules = (a: Json): Json => a.resource.aws_vpc_security_group_ingress_rule;

describe("a group admitting a new caller or peer (MF924)", () => {
  it("names a new caller at the caller's backends entry: only the tasks in its group get in", () => {
    expect(findings(trafficYaml({ worker: "    backends: [api]" }), trafficYaml()).filter((f) => f.startsWith("MF924"))).toEqual([
      "MF924 low 18:16 services.worker.backends[0] aws_vpc_security_group_ingress_rule.api-security-group_from-worker_6D5D0158: dev-shop-api now admits port 3000 from worker's tasks (security group dev-shop-worker): a new caller; only what is in that group gets in, not a network",
    ]);
  });

  it("names a new load balancer at the service's ingress, beside the CIDR its own group admits (MF909)", () => {
    expect(findings(BASE, trafficYaml())).toEqual([
      "MF909 medium 18:27 services.worker.ingress.allowedCidrs aws_vpc_security_group_ingress_rule.worker-ingress_allowed-0_31E849CE: admits 10.0.0.0/8 on port 443",
      "MF924 low 18:5 services.worker.ingress aws_vpc_security_group_ingress_rule.worker-ingress_from-load-balancer_F75207FA: dev-shop-worker now admits port 3001 from the load balancer of worker (security group dev-shop-worker-ingress): a new way in; only what is in that group gets in, not a network",
    ]);
  });

  it("names a prefix list, whose addresses its owner keeps, and a rule whose group changes, with the one before", () => {
    const prefixList = (a: Json) => {
      ingressRules(a)["api-security-group_from-provider-0_ABC"] = {
        security_group_id: "${aws_security_group.api-security-group_33E690D3.id}",
        prefix_list_id: "pl-0123456789abcdef0",
        ip_protocol: "tcp",
        from_port: 3000,
        to_port: 3000,
      };
    };
    expect(findings(BASE, BASE, prefixList)).toEqual([
      "MF924 low 8:3 services.api aws_vpc_security_group_ingress_rule.api-security-group_from-provider-0_ABC: dev-shop-api now admits port 3000 from prefix list pl-0123456789abcdef0: a new way in, from the addresses the list holds, which its owner keeps",
    ]);
    const otherGroup = (a: Json) => {
      ingressRules(a)["worker-security-group_from-api_E569BCAE"].referenced_security_group_id = "sg-0123456789abcdef0";
    };
    expect(findings(BASE, BASE, otherGroup)).toEqual([
      "MF924 low 14:3 services.worker aws_vpc_security_group_ingress_rule.worker-security-group_from-api_E569BCAE: dev-shop-worker now admits port 3001 from security group sg-0123456789abcdef0 (was dev-shop-api): a new way in; only what is in that group gets in, not a network",
    ]);
  });

  it("says nothing of a new group's rules, which come with a new service", () => {
    const billing = edit(trafficYaml(), "services:\n", "services:\n  billing:\n    port: 3002\n    cpu: 1024\n    memory: 2048\n");
    expect(findings(edit(billing, "backends: [worker]", "backends: [worker, billing]"), trafficYaml())).toEqual([
      "MF913 low 17:24 services.api.backends[1] aws_ecs_task_definition.api-task_definition_1F612BF6: api now calls billing (BILLING_URL): its failures and latency reach api's clients",
    ]);
  });
});

describe("a rule admitting a wider network (MF909)", () => {
  it("names a wider CIDR, IPv4 or IPv6, with the one before", () => {
    expect(findings(trafficYaml({ worker: "    ingress: { port: 443, allowedCidrs: [10.0.0.0/7] }" }))).toEqual([
      "MF909 medium 18:27 services.worker.ingress.allowedCidrs aws_vpc_security_group_ingress_rule.worker-ingress_allowed-0_31E849CE: admits 10.0.0.0/7 on port 443 (was 10.0.0.0/8 on port 443)",
    ]);
    const anyIpv6 = (a: Json) => {
      const rule = ingressRules(a)["worker-ingress_allowed-0_31E849CE"];
      delete rule.cidr_ipv4;
      rule.cidr_ipv6 = "::/0";
    };
    expect(findings(BASE, BASE, anyIpv6)).toEqual([
      "MF909 medium 18:27 services.worker.ingress.allowedCidrs aws_vpc_security_group_ingress_rule.worker-ingress_allowed-0_31E849CE: admits ::/0 on port 443 (was 10.0.0.0/8 on port 443)",
    ]);
  });
});
