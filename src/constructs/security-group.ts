import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

const HTTPS = 443;

/** Each port once, in ascending order: rules are made and listed in a stable order. */
const sortedUnique = (ports: readonly number[]) => [...new Set(ports)].sort((a, b) => a - b);

export interface MeshSecurityGroupProps {
  name: string;
  vpcId: string;
  /** Service ports to open, each only to members of this same group. */
  ports: number[];
  /** Ports of external services the tasks call (beyond HTTPS, which is open already). */
  externalPorts?: number[];
}

/**
 * The security group every mesh task wears. Service ports admit only other members of the group; egress
 * reaches the same ports inside the group and HTTPS for AWS APIs (ECR, CloudWatch Logs, App Mesh, X-Ray).
 */
export class MeshSecurityGroup extends Construct {
  readonly group: SecurityGroup;
  private readonly ingress = new Map<number, VpcSecurityGroupIngressRule>();
  private readonly egress = new Map<number, VpcSecurityGroupEgressRule>();
  private readonly https: VpcSecurityGroupEgressRule;
  private readonly external = new Map<number, VpcSecurityGroupEgressRule>();

  constructor(scope: Construct, id: string, props: MeshSecurityGroupProps) {
    super(scope, id);
    this.group = new SecurityGroup(this, "group", {
      name: props.name,
      description: "meshform mesh tasks: service ports from inside the mesh only",
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
    const securityGroupId = this.group.id;
    for (const port of sortedUnique(props.ports)) {
      const rule = { securityGroupId, referencedSecurityGroupId: securityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port };
      this.ingress.set(
        port,
        new VpcSecurityGroupIngressRule(this, `ingress-${port}`, { ...rule, description: `service port ${port} from the mesh` }),
      );
      this.egress.set(
        port,
        new VpcSecurityGroupEgressRule(this, `egress-${port}`, { ...rule, description: `service port ${port} to the mesh` }),
      );
    }
    this.https = new VpcSecurityGroupEgressRule(this, "egress-https", {
      securityGroupId,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "tcp",
      fromPort: HTTPS,
      toPort: HTTPS,
      description: "HTTPS to AWS APIs (ECR, CloudWatch Logs, App Mesh, X-Ray)",
    });
    for (const port of sortedUnique(props.externalPorts ?? []).filter((p) => p !== HTTPS)) {
      const rule = {
        securityGroupId,
        cidrIpv4: "0.0.0.0/0",
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: `port ${port} of external services`,
      };
      this.external.set(port, new VpcSecurityGroupEgressRule(this, `egress-external-${port}`, rule));
    }
  }

  /**
   * The rules a service's tasks use: traffic in on its port, out to its backends' ports, out over HTTPS. Its
   * ECS service depends on them, so a destroy keeps them until its tasks have drained.
   */
  rulesFor(
    port: number,
    backendPorts: readonly number[],
    externalPorts: readonly number[] = [],
  ): (VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule)[] {
    return [
      this.ingress.get(port)!,
      ...sortedUnique(backendPorts).map((p) => this.egress.get(p)!),
      this.https,
      ...sortedUnique(externalPorts).flatMap((p) => this.external.get(p) ?? []),
    ];
  }
}
