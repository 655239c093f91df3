import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { policyDocument, type Statement } from "./policy-document";

/** AWS's managed policy for the role ECS assumes to shift a load balancer's traffic in blue-green, linear and canary deployments. */
export const LOAD_BALANCER_DEPLOYMENT_POLICY = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers";

export interface InfrastructureRoleProps {
  name: string;
  description: string;
  /** What ECS may do with it: an AWS managed policy, or statements of meshform's own (an inline policy named `policyName`). */
  policy: { managed: string } | { name: string; statements: Statement[] };
}

/**
 * An ECS infrastructure role: ECS assumes it to manage something on the tasks' behalf. ECS services that use it
 * depend on its policy (`grant`), so a destroy keeps the policy until they are gone.
 */
export class InfrastructureRole extends Construct {
  readonly role: IamRole;
  /** The role's permissions, which what uses the role must be created after and destroyed before. */
  readonly grant: IamRolePolicyAttachment | IamRolePolicy;

  constructor(scope: Construct, id: string, props: InfrastructureRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: props.description,
      // The trust policy AWS documents for ECS infrastructure roles (ECS guide, "Amazon ECS infrastructure IAM
      // role"): ecs.amazonaws.com, no condition. No AWS source says ECS sends aws:SourceAccount when it assumes
      // the role, and aws-cdk and terraform-aws-modules/ecs add none either.
      assumeRolePolicy: policyDocument({
        Sid: "AllowAccessToECSForInfrastructureManagement",
        Effect: "Allow",
        Principal: { Service: "ecs.amazonaws.com" },
        Action: "sts:AssumeRole",
      }),
    });
    const { policy } = props;
    this.grant =
      "managed" in policy
        ? new IamRolePolicyAttachment(this, "policy", { role: this.role.name, policyArn: policy.managed })
        : new IamRolePolicy(this, "policy", { name: policy.name, role: this.role.id, policy: policyDocument(...policy.statements) });
  }
}
