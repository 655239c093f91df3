import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { policyDocument } from "../../constructs/policy-document";

/** AWS's managed policy for the role ECS assumes to issue Service Connect's TLS certificates from AWS Private CA. */
export const SERVICE_CONNECT_TLS_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity";

/**
 * The ECS infrastructure role of an environment whose services speak TLS through Service Connect: ECS
 * assumes it (from this account only) to issue and rotate each task's certificate. ECS services that use it
 * depend on its policy attachment, so a destroy keeps it until they are gone.
 */
export class ServiceConnectTlsRole extends Construct {
  readonly role: IamRole;
  readonly attachment: IamRolePolicyAttachment;

  constructor(scope: Construct, id: string, props: { name: string; accountId: string }) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: "ECS infrastructure: issue Service Connect TLS certificates from AWS Private CA",
      assumeRolePolicy: policyDocument({
        Effect: "Allow",
        Principal: { Service: "ecs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
      }),
    });
    this.attachment = new IamRolePolicyAttachment(this, "policy", { role: this.role.name, policyArn: SERVICE_CONNECT_TLS_POLICY });
  }
}
