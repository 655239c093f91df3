import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { ResolvedService } from "../config/model";
import type { WebIngress as WebIngressModel } from "../config/web-ingress-model";
import { ec2Description } from "./ec2-description";
import { deregistrationDelay, healthCheckTiming, TLS_POLICY } from "./ingress";
import type { ServiceSecurityGroup } from "./security-group";

const HTTP = 80;
const HTTPS = 443;

/** ELB's protocol version of a target group, from the service's protocol (tcp services are refused by check MF311). */
const PROTOCOL_VERSION = { http: "HTTP1", http2: "HTTP2", grpc: "GRPC" } as const;

/**
 * What a healthy target answers. gRPC: ELB's default path, which no server implements, so a server that answers
 * UNIMPLEMENTED (12, ELB's default code: API reference, Matcher) is serving gRPC; some servers answer 0 there.
 * HTTP: the service's health check path, any success or redirect.
 */
const healthAnswer = (s: ResolvedService) =>
  s.protocol === "grpc" ? { path: "/AWS.ALB/healthcheck", matcher: "0,12" } : { path: s.healthCheckPath, matcher: "200-399" };

export interface WebIngressProps {
  name: string;
  ingress: WebIngressModel;
  vpcId: string;
  subnetIds: string[];
  /** The services the rules send to, and their tasks' security groups. */
  services: { service: ResolvedService; group: ServiceSecurityGroup }[];
}

/**
 * The environment's HTTP(S) way in: an Application Load Balancer (internal unless asked) in a security group of
 * its own that admits only the allowed blocks on its listeners' ports and reaches only the routed services'
 * ports, in their groups. With a certificate, HTTPS on 443 (TLS 1.2 and 1.3) and HTTP on 80 answering a redirect
 * to it; without, HTTP on 80. One listener rule per `rules` entry, in the order written, and a 404 for the rest;
 * one target group per service (IP targets, its protocol version and health check). Headers that are not valid
 * HTTP are dropped before they reach a service (Security Hub ELB.4).
 */
export class WebIngress extends Construct {
  readonly loadBalancer: Lb;
  readonly group: SecurityGroup;
  private readonly targetGroups = new Map<string, LbTargetGroup>();
  private readonly dependables = new Map<string, ITerraformDependable[]>();

  constructor(scope: Construct, id: string, props: WebIngressProps) {
    super(scope, id);
    const { ingress } = props;
    const https = ingress.certificateArn !== undefined;
    const ports = https ? [HTTP, HTTPS] : [HTTP];
    this.group = new SecurityGroup(this, "security-group", {
      name: props.name,
      description: ec2Description(`meshform load balancer: ports ${ports.join(" and ")} from the allowed CIDR blocks only`),
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
    const open: ITerraformDependable[] = [];
    ingress.allowedCidrs.forEach((cidr, i) => {
      for (const port of ports) {
        open.push(
          new VpcSecurityGroupIngressRule(this, `allowed-${i}-${port}`, {
            securityGroupId: this.group.id,
            cidrIpv4: cidr,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: ec2Description(`port ${port} from ${cidr}`),
          }),
        );
      }
    });
    this.loadBalancer = new Lb(this, "load-balancer", {
      name: props.name,
      loadBalancerType: "application",
      internal: ingress.scheme === "internal",
      subnets: props.subnetIds,
      securityGroups: [this.group.id],
      idleTimeout: ingress.idleTimeoutSeconds,
      dropInvalidHeaderFields: true,
    });
    const notFound = { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "no route" } };
    const listener = new LbListener(this, https ? "https" : "http", {
      loadBalancerArn: this.loadBalancer.arn,
      ...(https
        ? { port: HTTPS, protocol: "HTTPS", certificateArn: ingress.certificateArn, sslPolicy: TLS_POLICY }
        : { port: HTTP, protocol: "HTTP" }),
      defaultAction: [notFound],
    });
    const listeners: ITerraformDependable[] = [listener];
    if (https) {
      listeners.push(
        new LbListener(this, "http-redirect", {
          loadBalancerArn: this.loadBalancer.arn,
          port: HTTP,
          protocol: "HTTP",
          defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS), statusCode: "HTTP_301" } }],
        }),
      );
    }
    for (const { service: s, group } of props.services) {
      const targetGroup = new LbTargetGroup(this, `${s.name}-target-group`, {
        name: s.names.webTargetGroup,
        port: s.port,
        protocol: "HTTP",
        protocolVersion: PROTOCOL_VERSION[s.protocol as keyof typeof PROTOCOL_VERSION],
        targetType: "ip",
        vpcId: props.vpcId,
        deregistrationDelay: deregistrationDelay(s),
        healthCheck: {
          enabled: true,
          port: "traffic-port",
          protocol: "HTTP",
          ...healthAnswer(s),
          ...healthCheckTiming(s),
        },
      });
      this.targetGroups.set(s.name, targetGroup);
      const reach = { ipProtocol: "tcp", fromPort: s.port, toPort: s.port };
      const egress = new VpcSecurityGroupEgressRule(this, `to-${s.name}`, {
        ...reach,
        securityGroupId: this.group.id,
        referencedSecurityGroupId: group.group.id,
        description: ec2Description(`${s.name} on port ${s.port}`),
      });
      group.admit("web", s.port, { securityGroupId: this.group.id, what: "the load balancer of the environment" });
      this.dependables.set(s.name, [...open, ...listeners, egress, targetGroup]);
    }
    for (const rule of ingress.rules) {
      const forward = this.targetGroups.get(rule.service)!;
      const made = new LbListenerRule(this, `rule-${rule.priority}`, {
        listenerArn: listener.arn,
        priority: rule.priority,
        condition: [
          ...(rule.host ? [{ hostHeader: { values: [rule.host] } }] : []),
          ...(rule.path ? [{ pathPattern: { values: [rule.path] } }] : []),
        ],
        action: [{ type: "forward", targetGroupArn: forward.arn }],
      });
      // ECS registers a service's tasks only in a target group a load balancer forwards to.
      this.dependables.get(rule.service)!.push(made);
    }
  }

  /** The target group of a routed service, or undefined. */
  targetGroupOf(service: string): LbTargetGroup | undefined {
    return this.targetGroups.get(service);
  }

  /** What a routed service's ECS service waits for: its target group forwarded to, and the way to its tasks open. */
  dependablesOf(service: string): ITerraformDependable[] {
    return this.dependables.get(service) ?? [];
  }
}
