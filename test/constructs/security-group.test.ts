import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { MeshSecurityGroup } from "../../src/constructs/security-group";

describe("MeshSecurityGroup", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  new MeshSecurityGroup(stack, "sg", { name: "dev-mesh", vpcId: "vpc-01234567", ports: [8080, 3000, 3000] });
  const json = JSON.parse(Testing.synth(stack));
  const ingress = Object.values(json.resource.aws_vpc_security_group_ingress_rule) as Record<string, unknown>[];
  const egress = Object.values(json.resource.aws_vpc_security_group_egress_rule) as Record<string, unknown>[];

  it("opens each distinct port once, only to the group itself", () => {
    expect(ingress.map((r) => r.from_port)).toEqual([3000, 8080]);
    for (const rule of ingress) expect(rule.referenced_security_group_id).toBe(rule.security_group_id);
  });

  it("allows no ingress from any CIDR, and egress to the internet only for HTTPS", () => {
    expect(ingress.some((r) => "cidr_ipv4" in r)).toBe(false);
    expect(egress.filter((r) => "cidr_ipv4" in r)).toEqual([
      expect.objectContaining({ cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443 }),
    ]);
  });
});
