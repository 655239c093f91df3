/**
 * What an offline plan can still show of apply-time rules (issue 15), with real Terraform and the AWS provider
 * against the loopback stand-in for AWS (src/terraform/aws-stub.ts).
 */
import { describe, expect, it } from "vitest";
import { DISABLED_CA_PREFIX } from "../../src/terraform/aws-stub";
import { checkTerraform } from "../../src/terraform/check";
import { resolve } from "../helpers";
import { synthStack } from "../stack-helpers";
import { trafficYaml } from "../traffic-yaml";
import { mirror, skipped, titled, workdir } from "./real-terraform";

const CA = (id: string) => `arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/${id}`;
const tlsStack = (id: string) => synthStack(resolve(trafficYaml({ worker: `    tls: { certificateAuthority: "${CA(id)}" }` }), "dev.yaml"));

describe.skipIf(skipped !== undefined)(titled("apply-time rules, planned"), { timeout: 180_000 }, () => {
  // Service Connect TLS issues certificates from an ACTIVE Private CA only (issue 15, row 1): the plan reads the
  // CA and stops at the ECS service's precondition when it is not, before anything is created.
  it("stop a plan whose Service Connect TLS names a CA that is not ACTIVE, and let one that is through", async () => {
    if ("reason" in mirror) return;
    const disabled = `${DISABLED_CA_PREFIX}1111-4111-8111-111111111111`;
    const result = await checkTerraform(
      { active: tlsStack("0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d"), disabled: tlsStack(disabled) },
      { mirror, workdir: workdir("terraform-apply-time-ca") },
    );
    const byName = Object.fromEntries(result.stacks.map((s) => [s.name, s]));
    expect(byName.active!.problems).toEqual([]);
    expect(byName.disabled!.ok).toBe(false);
    expect(byName.disabled!.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `Resource precondition failed: Service Connect TLS: the Private CA ${CA(disabled)} must be ACTIVE to issue the tasks' certificates\\.$`,
        ),
      ),
    ]);
  });
});
