/** Service Connect TLS, as the prod fixture (test/fixtures/envs/prod.yaml) has it: certificates from AWS Private CA, issued by ECS with a role of its own. */
import { describe, expect, it } from "vitest";
import { SERVICE_CONNECT_TLS_POLICY } from "../../../src/constructs/infrastructure-role";
import { resolveEnv } from "../../helpers";
import { one, ref, resources, synthStack } from "../../stack-helpers";

const stack = synthStack(resolveEnv("prod"));
const CA = "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e";

describe("Service Connect TLS", () => {
  const role = one(stack, "aws_iam_role", (r) => r.name === "prod-smn-app-mesh-ecs-sc-tls");
  const attachment = one(stack, "aws_iam_role_policy_attachment", (a) => a.policy_arn === SERVICE_CONNECT_TLS_POLICY);
  const processing = one(stack, "aws_ecs_service", (s) => s.name.endsWith("data-processing"));

  it("has ECS, from this account only, assume a role with AWS's policy for it", () => {
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "ecs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.account.account_id}" } },
        },
      ],
    });
    expect(attachment).toMatchObject({ role: ref("aws_iam_role", role, "name"), policy_arn: SERVICE_CONNECT_TLS_POLICY });
  });

  it("encrypts calls to the service with certificates from the CA, the service waiting for the role's policy", () => {
    expect(processing.service_connect_configuration.service[0].tls).toEqual({
      issuer_cert_authority: { aws_pca_authority_arn: CA },
      role_arn: ref("aws_iam_role", role, "arn"),
    });
    expect(processing.depends_on).toContain(`aws_iam_role_policy_attachment.${attachment.id}`);
  });

  it("leaves services without tls, and environments without any, alone", () => {
    const ingestion = one(stack, "aws_ecs_service", (s) => s.name.endsWith("data-ingestion"));
    expect(ingestion.service_connect_configuration.service[0].tls).toBeUndefined();
    const staging = synthStack(resolveEnv("staging"));
    expect(resources(staging, "aws_iam_role_policy_attachment").map((a) => a.policy_arn)).not.toContain(SERVICE_CONNECT_TLS_POLICY);
    expect(resources(staging, "aws_iam_role").map((r) => r.name)).not.toContain("staging-smn-app-mesh-ecs-sc-tls");
  });
});
