/**
 * Service Connect TLS, as the prod fixture (test/fixtures/envs/prod.yaml) has it: certificates from AWS Private CA,
 * issued by ECS with a role of its own. Sources: the managed policy
 * AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity (v1, v2) allows acm-pca only on CAs
 * tagged AmazonECSManaged=true, so meshform's policy names the CA instead; the ECS guide's infrastructure role
 * trusts ecs.amazonaws.com with no condition.
 */
import { describe, expect, it } from "vitest";
import { END_ENTITY_TEMPLATE } from "../../../src/providers/service-connect/tls-policy";
import { resolveEnv } from "../../helpers";
import { one, ref, resources, synthStack } from "../../stack-helpers";

const stack = synthStack(resolveEnv("prod"));
const CA = "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e";

describe("Service Connect TLS", () => {
  const role = one(stack, "aws_iam_role", (r) => r.name === "prod-smn-app-mesh-ecs-sc-tls");
  const policy = one(stack, "aws_iam_role_policy", (p) => p.role === ref("aws_iam_role", role, "id"));
  const processing = one(stack, "aws_ecs_service", (s) => s.name.endsWith("data-processing"));

  it("has ECS assume a role with the trust policy AWS documents (no condition)", () => {
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowAccessToECSForInfrastructureManagement",
          Effect: "Allow",
          Principal: { Service: "ecs.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
      ],
    });
    expect(resources(stack, "aws_iam_role_policy_attachment").filter((a) => a.role === ref("aws_iam_role", role, "name"))).toEqual([]);
  });

  it("lets it use the configured CA only, and issue end-entity certificates only, whatever the CA's tags", () => {
    const statements = JSON.parse(policy.policy).Statement as {
      Sid: string;
      Action: string | string[];
      Resource: unknown;
      Condition?: unknown;
    }[];
    const acmPca = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith("acm-pca:")));
    expect(acmPca).toEqual([
      {
        Sid: "ReadPrivateCertificateAuthority",
        Effect: "Allow",
        Action: ["acm-pca:GetCertificate", "acm-pca:GetCertificateAuthorityCertificate", "acm-pca:DescribeCertificateAuthority"],
        Resource: CA,
      },
      {
        Sid: "IssueEndEntityCertificate",
        Effect: "Allow",
        Action: "acm-pca:IssueCertificate",
        Resource: CA,
        Condition: { StringEquals: { "acm-pca:TemplateArn": END_ENTITY_TEMPLATE } },
      },
    ]);
    // ECS's own secrets for the tasks' keys, in this account only: the IAM variable reaches IAM as written.
    const secrets = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith("secretsmanager:")));
    expect(secrets.map((s) => s.Resource)).toEqual([
      "arn:aws:secretsmanager:*:*:secret:ecs-sc!*",
      "arn:aws:secretsmanager:*:*:secret:ecs-sc!*",
      "arn:aws:secretsmanager:*:*:secret:ecs-sc!*",
    ]);
    expect(policy.policy).toContain('"aws:ResourceAccount":"$${aws:PrincipalAccount}"');
  });

  it("encrypts calls to the service with certificates from the CA, the service waiting for the role's policy and for the CA to be ACTIVE", () => {
    expect(processing.service_connect_configuration.service[0].tls).toEqual({
      issuer_cert_authority: { aws_pca_authority_arn: CA },
      role_arn: ref("aws_iam_role", role, "arn"),
    });
    expect(processing.depends_on).toContain(`aws_iam_role_policy.${policy.id}`);
    const ca = Object.entries(stack.data.aws_acmpca_certificate_authority as Record<string, { arn: string }>);
    expect(ca.map(([, d]) => d.arn)).toEqual([CA]);
    expect(processing.lifecycle.precondition).toEqual([
      {
        condition: `\${(data.aws_acmpca_certificate_authority.${ca[0]![0]}.status == "ACTIVE")}`,
        error_message: `Service Connect TLS: the Private CA ${CA} must be ACTIVE to issue the tasks' certificates.`,
      },
    ]);
  });

  it("leaves services without tls, and environments without any, alone", () => {
    const ingestion = one(stack, "aws_ecs_service", (s) => s.name.endsWith("data-ingestion"));
    expect(ingestion.service_connect_configuration.service[0].tls).toBeUndefined();
    expect(ingestion.lifecycle?.precondition).toBeUndefined();
    const staging = synthStack(resolveEnv("staging"));
    expect(resources(staging, "aws_iam_role").map((r) => r.name)).not.toContain("staging-smn-app-mesh-ecs-sc-tls");
    expect(staging.data.aws_acmpca_certificate_authority).toBeUndefined();
  });
});
