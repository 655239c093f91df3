/**
 * One meshform service as a VPC Lattice service: the service (AWS_IAM: callers must sign, and an auth policy names
 * who may call), its association with the environment's service network, an IP target group per version that ECS
 * registers the version's tasks in, with the service's health check, and an HTTPS listener whose rules are the
 * service's routes (routing.ts).
 */
import { VpclatticeListener } from "@cdktf/provider-aws/lib/vpclattice-listener";
import { VpclatticeListenerRule } from "@cdktf/provider-aws/lib/vpclattice-listener-rule";
import { VpclatticeService } from "@cdktf/provider-aws/lib/vpclattice-service";
import { VpclatticeServiceNetworkServiceAssociation } from "@cdktf/provider-aws/lib/vpclattice-service-network-service-association";
import { VpclatticeTargetGroup } from "@cdktf/provider-aws/lib/vpclattice-target-group";
import { Construct } from "constructs";
import type { Protocol, ResolvedService } from "../../config/model";
import { LISTENER, latticeServiceName, targetGroupName } from "./facts";
import { type RuleMatch, routing, type WeightedTargets } from "./routing";

/**
 * What the tasks speak, as a target group's protocol version (HTTP1 | HTTP2 | GRPC: `expected protocol_version to be
 * one of ["HTTP1" "HTTP2" "GRPC"]`, provider 5.100.0). Lattice speaks plain HTTP to the tasks inside the VPC.
 */
const PROTOCOL_VERSION: Record<Exclude<Protocol, "tcp">, string> = { http: "HTTP1", http2: "HTTP2", grpc: "GRPC" };

/**
 * The health check's protocol version: "Health checks do not support gRPC target group protocol versions. However,
 * if you enable health checks, you must specify the health check protocol version as HTTP1 or HTTP2" (user guide,
 * target-group-health-checks.html). HTTP/2 target groups have them off by default, so meshform always turns them on.
 */
const healthCheckVersion = (p: Protocol) => (p === "http" ? "HTTP1" : "HTTP2");

export interface LatticeServiceProps {
  service: ResolvedService;
  serviceNetworkId: string;
  vpcId: string;
}

export class LatticeService extends Construct {
  readonly service: VpclatticeService;
  readonly association: VpclatticeServiceNetworkServiceAssociation;
  readonly listener: VpclatticeListener;
  /** By version name (undefined: the service without versions). */
  readonly targetGroups = new Map<string | undefined, VpclatticeTargetGroup>();

  constructor(scope: Construct, id: string, props: LatticeServiceProps) {
    super(scope, id);
    const s = props.service;
    this.service = new VpclatticeService(this, "service", { name: latticeServiceName(s.names), authType: "AWS_IAM" });
    this.association = new VpclatticeServiceNetworkServiceAssociation(this, "association", {
      serviceIdentifier: this.service.id,
      serviceNetworkIdentifier: props.serviceNetworkId,
    });
    const hc = s.healthCheck;
    for (const v of s.versions) {
      this.targetGroups.set(
        v.name,
        new VpclatticeTargetGroup(this, v.name === undefined ? "targets" : `targets-${v.name}`, {
          name: targetGroupName(s.names, v.name),
          // ECS registers the tasks' addresses (awsvpc) in an IP target group through the service's VpcLatticeConfiguration.
          type: "IP",
          config: {
            port: s.port,
            protocol: "HTTP",
            protocolVersion: PROTOCOL_VERSION[s.protocol as Exclude<Protocol, "tcp">],
            vpcIdentifier: props.vpcId,
            ipAddressType: "IPV4",
            // Ranges (provider 5.100.0 validators, the same as the API's HealthCheckConfig): interval 5-300 s, timeout
            // 1-120 s, thresholds 2-10; meshform's healthCheck ranges (5-300 s, 2-60 s, 2-10) lie within them.
            healthCheck: {
              enabled: true,
              protocol: "HTTP",
              protocolVersion: healthCheckVersion(s.protocol),
              port: s.port,
              path: s.healthCheckPath,
              healthCheckIntervalSeconds: hc.intervalMs / 1000,
              healthCheckTimeoutSeconds: hc.timeoutMs / 1000,
              healthyThresholdCount: hc.healthyThreshold,
              unhealthyThresholdCount: hc.unhealthyThreshold,
              matcher: { value: "200" },
            },
          },
        }),
      );
    }
    const forward = (targets: WeightedTargets) => ({
      targetGroups: targets.map((t) => ({ targetGroupIdentifier: this.targetGroups.get(t.version)!.id, weight: t.weight })),
    });
    const { rules, fallback } = routing(s);
    this.listener = new VpclatticeListener(this, "listener", {
      name: "https",
      protocol: LISTENER.protocol,
      port: LISTENER.port,
      serviceIdentifier: this.service.id,
      defaultAction: "targets" in fallback ? { forward: [forward(fallback.targets)] } : { fixedResponse: { statusCode: fallback.status } },
    });
    for (const r of rules) {
      new VpclatticeListenerRule(this, r.name, {
        name: r.name,
        serviceIdentifier: this.service.id,
        listenerIdentifier: this.listener.listenerId,
        priority: r.priority,
        match: { httpMatch: httpMatch(r.match) },
        action: { forward: forward(r.targets) },
      });
    }
  }
}

/** A rule's match, case-sensitive as App Mesh's routes are. */
function httpMatch(m: RuleMatch) {
  return {
    ...(m.method && { method: m.method }),
    ...(m.path && { pathMatch: { caseSensitive: true, match: m.path } }),
    ...(m.headers.length > 0 && {
      headerMatches: m.headers.map((h) => ({ name: h.name, caseSensitive: true, match: h.match })),
    }),
  };
}
