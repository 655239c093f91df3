import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

export interface MeshSecurityGroupProps {
  name: string;
  vpcId: string;
  /** Service ports to open, each only to members of this same group. */
  ports: number[];
}

/**
 * The security group every mesh task wears. Service ports admit only other members of the group; egress
 * reaches the same ports inside the group and HTTPS for AWS APIs (ECR, CloudWatch Logs, App Mesh, X-Ray).
 */
export class MeshSecurityGroup extends Construct {
  readonly group: SecurityGroup;
  /** Every rule of the group: ECS services depend on them, so a destroy keeps them until the tasks have drained. */
  readonly rules: (VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule)[] = [];

  constructor(scope: Construct, id: string, props: MeshSecurityGroupProps) {
    super(scope, id);
    this.group = new SecurityGroup(this, "group", {
      name: props.name,
      description: "meshform mesh tasks: service ports from inside the mesh only",
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
    const securityGroupId = this.group.id;
    for (const port of [...new Set(props.ports)].sort((a, b) => a - b)) {
      const rule = { securityGroupId, referencedSecurityGroupId: securityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port };
      this.rules.push(
        new VpcSecurityGroupIngressRule(this, `ingress-${port}`, { ...rule, description: `service port ${port} from the mesh` }),
        new VpcSecurityGroupEgressRule(this, `egress-${port}`, { ...rule, description: `service port ${port} to the mesh` }),
      );
    }
    const https = new VpcSecurityGroupEgressRule(this, "egress-https", {
      securityGroupId,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS to AWS APIs (ECR, CloudWatch Logs, App Mesh, X-Ray)",
    });
    this.rules.push(https);
  }
}
