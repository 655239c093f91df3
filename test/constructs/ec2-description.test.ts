/** EC2's character set for security group descriptions: the provider checks only their length, AWS the characters. */
import { describe, expect, it } from "vitest";
import { EC2_DESCRIPTION, ec2Description } from "../../src/constructs/ec2-description";
import { loadEnvironments } from "../../src/environments";
import { ENVS, resolve } from "../helpers";
import { resources, synthStack } from "../stack-helpers";
import { CERTIFICATE, trafficYaml } from "../traffic-yaml";

describe("ec2Description", () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html: "Allowed characters are a-z,
  // A-Z, 0-9, spaces, and ._-:/()#,@[]+=;{}!$*", up to 255.
  it("accepts EC2's characters and refuses an apostrophe, a quote, non-ASCII and a 256th character", () => {
    expect(ec2Description("port 3000 from api (tcp) #1, @a[b]+=;{}!$*_-:/")).toBe("port 3000 from api (tcp) #1, @a[b]+=;{}!$*_-:/");
    for (const bad of ["api's tasks", 'say "hi"', "café", "x".repeat(256), "a\tb"]) {
      expect(() => ec2Description(bad)).toThrow("not a valid EC2 security group description");
    }
    expect(ec2Description("x".repeat(255))).toHaveLength(255);
  });

  it("holds for every group and rule meshform writes, on every provider, with and without a load balancer", () => {
    const stacks = [
      ...loadEnvironments(ENVS).environments.map(synthStack),
      ...["appmesh", "service-connect"].map((provider) =>
        synthStack(resolve(trafficYaml({ provider, api: `    ingress: { certificate: ${CERTIFICATE}, allowedCidrs: [10.0.0.0/8] }` }))),
      ),
    ];
    const described = stacks.flatMap((stack) =>
      ["aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"].flatMap((type) =>
        resources(stack, type).map((r) => String(r.description)),
      ),
    );
    expect(described.length).toBeGreaterThan(20);
    expect(described.filter((d) => !EC2_DESCRIPTION.test(d))).toEqual([]);
  });
});
