import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { policyDocument } from "./policy-document";

/** AWS's managed policy for the role ECS assumes to issue Service Connect's TLS certificates from AWS Private CA. */
export const SERVICE_CONNECT_TLS_POLICY =
  "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity";
/** AWS's managed policy for the role ECS assumes to shift a load balancer's traffic in blue-green, linear and canary deployments. */
export const LOAD_BALANCER_DEPLOYMENT_POLICY = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers";

export interface InfrastructureRoleProps {
  name: string;
  description: string;
  /** The account the stack deploys to: ECS may assume the role on behalf of this account only. */
  accountId: string;
  /** The AWS managed policy that says what ECS may do with it. */
  policyArn: string;
}

/**
 * An ECS infrastructure role: ECS assumes it (from this account only) to manage something on the tasks' behalf,
 * with one AWS managed policy. ECS services that use it depend on the attachment, so a destroy keeps it until
 * they are gone.
 */
export class InfrastructureRole extends Construct {
  readonly role: IamRole;
  readonly attachment: IamRolePolicyAttachment;

  constructor(scope: Construct, id: string, props: InfrastructureRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: props.description,
      assumeRolePolicy: policyDocument({
        Effect: "Allow",
        Principal: { Service: "ecs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
      }),
    });
    this.attachment = new IamRolePolicyAttachment(this, "policy", { role: this.role.name, policyArn: props.policyArn });
  }
}
