import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { ec2Description } from "./ec2-description";

const HTTPS = 443;

/** Each port once, in ascending order: rules are made and listed in a stable order. */
const sortedUnique = (ports: readonly number[]) => [...new Set(ports)].sort((a, b) => a - b);

export type SecurityGroupRule = VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule;

/** Who may reach a service's port besides its callers: a load balancer's or a gateway's group, or an AWS prefix list (VPC Lattice). */
export type Peer = { securityGroupId: string; what: string } | { prefixListId: string; what: string };

export interface ServiceSecurityGroupProps {
  /** The group's name (unique in the VPC). */
  name: string;
  /** The service, as rules describe it. */
  service: string;
  vpcId: string;
}

/**
 * The security group of one service's tasks: nothing gets in or out but what a rule below says. A service admits
 * its port from the services that call it (naming it in `backends`), and from its load balancer or gateway; it
 * reaches its backends' ports in their groups, the ports of the external services it calls, and HTTPS for AWS's
 * APIs (ECR, CloudWatch Logs, X-Ray, the mesh's control plane). Its ECS service depends on its rules, so a destroy
 * keeps them until its tasks have drained.
 */
export class ServiceSecurityGroup extends Construct {
  readonly group: SecurityGroup;
  /** Every rule the service's tasks rely on, in and out. */
  readonly rules: SecurityGroupRule[] = [];
  private readonly service: string;

  constructor(scope: Construct, id: string, props: ServiceSecurityGroupProps) {
    super(scope, id);
    this.service = props.service;
    this.group = new SecurityGroup(this, "group", {
      name: props.name,
      description: ec2Description(`meshform ${props.service}: its port from its callers and its way in only`),
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
  }

  /** Admits `port` from a caller's group. */
  admitService(id: string, port: number, caller: { name: string; securityGroupId: string }): void {
    this.rules.push(
      new VpcSecurityGroupIngressRule(this, `from-${id}`, {
        securityGroupId: this.group.id,
        referencedSecurityGroupId: caller.securityGroupId,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: ec2Description(`port ${port} from ${caller.name}`),
      }),
    );
  }

  /** Admits `port` from a load balancer's or a gateway's group, or from an AWS managed prefix list. */
  admit(id: string, port: number, peer: Peer): void {
    this.rules.push(
      new VpcSecurityGroupIngressRule(this, `from-${id}`, {
        securityGroupId: this.group.id,
        ...("prefixListId" in peer ? { prefixListId: peer.prefixListId } : { referencedSecurityGroupId: peer.securityGroupId }),
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: ec2Description(`port ${port} from ${peer.what}`),
      }),
    );
  }

  /** Lets the tasks reach a backend's port in its group. */
  reachService(id: string, port: number, backend: { name: string; securityGroupId: string }): void {
    this.rules.push(
      new VpcSecurityGroupEgressRule(this, `to-${id}`, {
        securityGroupId: this.group.id,
        referencedSecurityGroupId: backend.securityGroupId,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: ec2Description(`${backend.name} on port ${port}`),
      }),
    );
  }

  /** Lets the tasks reach HTTPS anywhere (AWS's APIs, and external services on 443) and the other ports of the external services they call. */
  reachOutside(externalPorts: readonly number[]): void {
    for (const port of [HTTPS, ...sortedUnique(externalPorts).filter((p) => p !== HTTPS)]) {
      this.rules.push(
        new VpcSecurityGroupEgressRule(this, port === HTTPS ? "to-https" : `to-external-${port}`, {
          securityGroupId: this.group.id,
          cidrIpv4: "0.0.0.0/0",
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          description: ec2Description(
            port === HTTPS
              ? `HTTPS to AWS APIs (ECR, CloudWatch Logs, X-Ray) and external services, from ${this.service}`
              : `port ${port} of external services`,
          ),
        }),
      );
    }
  }
}
