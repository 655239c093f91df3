import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ServiceSecurityGroup } from "../../src/constructs/security-group";

type Rule = Record<string, unknown>;

describe("ServiceSecurityGroup", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  const api = new ServiceSecurityGroup(stack, "api", { name: "dev-app-api", service: "api", vpcId: "vpc-01234567" });
  const db = new ServiceSecurityGroup(stack, "db", { name: "dev-app-db", service: "db", vpcId: "vpc-01234567" });
  db.admitService("api", 5432, { name: "api", securityGroupId: api.group.id });
  api.reachService("db", 5432, { name: "db", securityGroupId: db.group.id });
  api.reachOutside([8443, 443, 8443]);
  api.admit("lattice", 8080, { prefixListId: "pl-0123456789abcdef0", what: "VPC Lattice" });
  const json = JSON.parse(Testing.synth(stack));
  const ingress = json.resource.aws_vpc_security_group_ingress_rule as Record<string, Rule>;
  const egress = json.resource.aws_vpc_security_group_egress_rule as Record<string, Rule>;
  const groups = json.resource.aws_security_group as Record<string, Rule>;
  const idOf = (name: string) => `\${aws_security_group.${Object.keys(groups).find((k) => groups[k].name === name)}.id}`;

  it("makes one group per service, named for it, that revokes its rules before it is deleted", () => {
    expect(Object.values(groups).map((g) => [g.name, g.revoke_rules_on_delete])).toEqual([
      ["dev-app-api", true],
      ["dev-app-db", true],
    ]);
  });

  it("admits a backend's port only from its caller's group, and lets the caller reach only that port there", () => {
    const intoDb = Object.values(ingress).filter((r) => r.security_group_id === idOf("dev-app-db"));
    expect(intoDb).toEqual([
      expect.objectContaining({ referenced_security_group_id: idOf("dev-app-api"), ip_protocol: "tcp", from_port: 5432, to_port: 5432 }),
    ]);
    const apiToDb = Object.values(egress).filter((r) => r.referenced_security_group_id === idOf("dev-app-db"));
    expect(apiToDb).toEqual([expect.objectContaining({ security_group_id: idOf("dev-app-api"), from_port: 5432, to_port: 5432 })]);
  });

  it("reaches the internet only on HTTPS and on each external port once, and admits no CIDR", () => {
    const open = Object.values(egress)
      .filter((r) => "cidr_ipv4" in r)
      .sort((a, b) => Number(a.from_port) - Number(b.from_port));
    expect(open.map((r) => [r.cidr_ipv4, r.from_port, r.to_port])).toEqual([
      ["0.0.0.0/0", 443, 443],
      ["0.0.0.0/0", 8443, 8443],
    ]);
    expect(Object.values(ingress).some((r) => "cidr_ipv4" in r || "cidr_ipv6" in r)).toBe(false);
  });

  it("admits a provider's managed prefix list on the service port", () => {
    expect(Object.values(ingress).filter((r) => "prefix_list_id" in r)).toEqual([
      expect.objectContaining({ security_group_id: idOf("dev-app-api"), prefix_list_id: "pl-0123456789abcdef0", from_port: 8080 }),
    ]);
  });

  it("lists every rule of a group, for the ECS service to wait for", () => {
    expect(api.rules).toHaveLength(4);
    expect(db.rules).toHaveLength(1);
  });

  it("describes every rule (ASCII only, EC2's rule for descriptions)", () => {
    for (const rule of [...Object.values(ingress), ...Object.values(egress)]) {
      expect(rule.description).toMatch(/^[\x20-\x7e]{1,255}$/);
    }
  });
});
