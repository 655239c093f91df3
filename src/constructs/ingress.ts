import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import type { ResolvedService } from "../config/model";
import { ec2Description } from "./ec2-description";

/** A load balancer's health check of a service, timed as the service's own health check, and how long its tasks drain. */
export const healthCheckTiming = ({ healthCheck: c }: Pick<ResolvedService, "healthCheck">) => ({
  interval: Math.round(c.intervalMs / 1000),
  timeout: Math.round(c.timeoutMs / 1000),
  healthyThreshold: c.healthyThreshold,
  unhealthyThreshold: c.unhealthyThreshold,
});

/** In-flight requests may finish before a task leaves the target group: as long as the service lets one take. */
export const deregistrationDelay = (s: Pick<ResolvedService, "requestTimeoutMs">) =>
  String(Math.min(3600, Math.ceil(s.requestTimeoutMs / 1000)));

/** TLS 1.3 and 1.2 only: AWS's recommended policy for new TLS listeners. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface IngressProps {
  service: ResolvedService & { ingress: NonNullable<ResolvedService["ingress"]> };
  vpcId: string;
  subnetIds: string[];
  /** The security group of the service's tasks, which admits the load balancer on the service's port. */
  tasksSecurityGroupId: string;
  /**
   * A second target group for ECS to shift traffic to in blue-green, linear and canary deployments. ECS then
   * rewrites the listener's default action itself, so Terraform leaves that action alone once created.
   */
  alternate?: boolean;
  /**
   * What the load balancer checks: the service's health check path over HTTP (by default), or that its targets
   * accept a TCP connection (a gateway in front of the service, whose answer to a path depends on its routes).
   */
  healthCheck?: "http" | "tcp";
}

/**
 * A way in from outside the mesh: a Network Load Balancer (internal unless asked) with a security group of
 * its own that admits only the allowed CIDR blocks on the listener's port and reaches only the service's
 * tasks on their port; TLS terminated with an ACM certificate when one is given; targets by IP, health
 * checked over HTTP on the service's health check path.
 */
export class Ingress extends Construct {
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly alternateTargetGroup?: LbTargetGroup;
  readonly listener: LbListener;
  /** What the ECS service depends on: its target group must be attached (by the listener) before the service registers in it, and the rules outlive its tasks. */
  readonly dependables: (VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule | LbListener | LbTargetGroup)[] = [];

  constructor(scope: Construct, id: string, props: IngressProps) {
    super(scope, id);
    const { service: s } = props;
    const { ingress, names } = s;
    const group = new SecurityGroup(this, "security-group", {
      name: `${names.ecsService}-ingress`,
      description: ec2Description(`meshform ingress of ${s.name}: port ${ingress.port} from the allowed CIDR blocks only`),
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
    ingress.allowedCidrs.forEach((cidr, i) => {
      this.dependables.push(
        new VpcSecurityGroupIngressRule(this, `allowed-${i}`, {
          securityGroupId: group.id,
          cidrIpv4: cidr,
          ipProtocol: "tcp",
          fromPort: ingress.port,
          toPort: ingress.port,
          description: ec2Description(`port ${ingress.port} from ${cidr}`),
        }),
      );
    });
    const toTasks = { ipProtocol: "tcp", fromPort: s.port, toPort: s.port };
    this.dependables.push(
      new VpcSecurityGroupEgressRule(this, "to-tasks", {
        ...toTasks,
        securityGroupId: group.id,
        referencedSecurityGroupId: props.tasksSecurityGroupId,
        description: ec2Description(`tasks of ${s.name} on port ${s.port}`),
      }),
      new VpcSecurityGroupIngressRule(this, "from-load-balancer", {
        ...toTasks,
        securityGroupId: props.tasksSecurityGroupId,
        referencedSecurityGroupId: group.id,
        description: ec2Description(`port ${s.port} from the load balancer of ${s.name}`),
      }),
    );

    this.loadBalancer = new Lb(this, "load-balancer", {
      name: names.loadBalancer,
      loadBalancerType: "network",
      internal: ingress.scheme === "internal",
      subnets: props.subnetIds,
      securityGroups: [group.id],
    });
    const targetGroup = (id: string, name: string) =>
      new LbTargetGroup(this, id, {
        name,
        port: s.port,
        protocol: "TCP",
        targetType: "ip",
        vpcId: props.vpcId,
        deregistrationDelay: deregistrationDelay(s),
        healthCheck: {
          enabled: true,
          port: "traffic-port",
          ...(props.healthCheck === "tcp" ? { protocol: "TCP" } : { protocol: "HTTP", path: s.healthCheckPath, matcher: "200-399" }),
          ...healthCheckTiming(s),
        },
      });
    this.targetGroup = targetGroup("target-group", names.loadBalancer);
    if (props.alternate) this.alternateTargetGroup = targetGroup("alternate-target-group", names.alternateTargetGroup);
    const listener = new LbListener(this, "listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: ingress.port,
      ...(ingress.certificateArn
        ? { protocol: "TLS", certificateArn: ingress.certificateArn, sslPolicy: TLS_POLICY }
        : { protocol: "TCP" }),
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      ...(props.alternate && { lifecycle: { ignoreChanges: ["default_action"] } }),
    });
    this.listener = listener;
    this.dependables.push(listener, ...(this.alternateTargetGroup ? [this.alternateTargetGroup] : []));
  }
}
