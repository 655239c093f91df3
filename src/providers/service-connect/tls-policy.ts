/**
 * What ECS may do with the role that issues Service Connect's TLS certificates, scoped to the environment's
 * Private CAs. AWS's managed policy for it (AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity,
 * versions 1 and 2, AWS Managed Policy Reference) allows the acm-pca actions only on CAs tagged
 * `AmazonECSManaged=true`, which a CA created elsewhere is not: ECS could then issue no certificate and the tasks
 * would never become healthy. This policy is the managed one with its acm-pca statements on the named CAs instead
 * of on tagged ones: the Secrets Manager statements (ECS keeps each task's key in a secret named `ecs-sc!…` that
 * it creates and tags) are the managed policy's as they are; IssueCertificate is allowed for the end-entity
 * template only, the one the managed policy allows. (An inference from the managed policy, which AWS documents
 * as the permissions ECS needs; no AWS page gives a policy for an untagged CA.)
 */
import type { Statement } from "../../constructs/policy-document";
import { escapeTemplate } from "../../constructs/terraform-literals";

const ECS_SECRETS = "arn:aws:secretsmanager:*:*:secret:ecs-sc!*";
/** An IAM policy variable, not a Terraform reference: escaped so that Terraform writes it as it is. */
const OWN_ACCOUNT = { "aws:ResourceAccount": escapeTemplate("${aws:PrincipalAccount}") };
/** The template ECS issues task certificates with (the managed policy's condition on IssueCertificate). */
export const END_ENTITY_TEMPLATE = "arn:aws:acm-pca:::template/EndEntityCertificate/V1";

export function serviceConnectTlsStatements(authorities: readonly string[]): Statement[] {
  const cas = [...new Set(authorities)].sort();
  const resource = cas.length === 1 ? cas[0]! : cas;
  return [
    {
      Sid: "CreateSecret",
      Effect: "Allow",
      Action: ["secretsmanager:CreateSecret", "secretsmanager:TagResource"],
      Resource: ECS_SECRETS,
      Condition: {
        ArnLike: { "aws:RequestTag/AmazonECSCreated": ["arn:aws:ecs:*:*:service/*/*", "arn:aws:ecs:*:*:task-set/*/*"] },
        StringEquals: { "aws:RequestTag/AmazonECSManaged": "true", ...OWN_ACCOUNT },
      },
    },
    {
      Sid: "RotateTLSCertificateSecret",
      Effect: "Allow",
      Action: [
        "secretsmanager:UpdateSecret",
        "secretsmanager:GetSecretValue",
        "secretsmanager:PutSecretValue",
        "secretsmanager:DeleteSecret",
        "secretsmanager:RotateSecret",
        "secretsmanager:UpdateSecretVersionStage",
      ],
      Resource: ECS_SECRETS,
      Condition: { StringEquals: { "secretsmanager:ResourceTag/aws:secretsmanager:owningService": "ecs-sc", ...OWN_ACCOUNT } },
    },
    {
      Sid: "DescribeTLSCertificateSecret",
      Effect: "Allow",
      Action: "secretsmanager:DescribeSecret",
      Resource: ECS_SECRETS,
      Condition: { StringEquals: OWN_ACCOUNT },
    },
    {
      Sid: "ReadPrivateCertificateAuthority",
      Effect: "Allow",
      Action: ["acm-pca:GetCertificate", "acm-pca:GetCertificateAuthorityCertificate", "acm-pca:DescribeCertificateAuthority"],
      Resource: resource,
    },
    {
      Sid: "IssueEndEntityCertificate",
      Effect: "Allow",
      Action: "acm-pca:IssueCertificate",
      Resource: resource,
      Condition: { StringEquals: { "acm-pca:TemplateArn": END_ENTITY_TEMPLATE } },
    },
  ];
}
