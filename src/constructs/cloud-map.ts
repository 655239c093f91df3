import { ServiceDiscoveryInstance } from "@cdktf/provider-aws/lib/service-discovery-instance";
import { ServiceDiscoveryPrivateDnsNamespace } from "@cdktf/provider-aws/lib/service-discovery-private-dns-namespace";
import { ServiceDiscoveryService } from "@cdktf/provider-aws/lib/service-discovery-service";
import { Construct } from "constructs";

/** Cloud Map DNS settings from the reference system: A records, TTL 10 s, multivalue answers. */
export const DISCOVERY_DNS = { recordType: "A", ttl: 10, routingPolicy: "MULTIVALUE" } as const;

export interface CloudMapProps {
  namespace: string;
  vpcId: string;
}

/** A private DNS namespace in the VPC, with one discovery service per mesh service. */
export class CloudMap extends Construct {
  readonly namespace: ServiceDiscoveryPrivateDnsNamespace;

  constructor(scope: Construct, id: string, props: CloudMapProps) {
    super(scope, id);
    this.namespace = new ServiceDiscoveryPrivateDnsNamespace(this, "namespace", {
      name: props.namespace,
      vpc: props.vpcId,
      description: `meshform service discovery for ${props.namespace}`,
    });
  }

  /**
   * A name that resolves to a fixed address and nothing more: a discovery service with one instance, which no
   * health check removes. For names a proxy intercepts by name, where the app must only be able to resolve them.
   */
  addStaticRecord(name: string, ipv4: string): ServiceDiscoveryService {
    const service = new ServiceDiscoveryService(this, `static-${name}`, {
      name,
      dnsConfig: {
        namespaceId: this.namespace.id,
        dnsRecords: [{ type: DISCOVERY_DNS.recordType, ttl: DISCOVERY_DNS.ttl }],
        routingPolicy: DISCOVERY_DNS.routingPolicy,
      },
    });
    new ServiceDiscoveryInstance(this, `static-${name}-instance`, {
      serviceId: service.id,
      instanceId: `${name}-static`,
      attributes: { AWS_INSTANCE_IPV4: ipv4 },
    });
    return service;
  }

  /** Registers a discovery service; ECS keeps its instances and their health up to date. */
  addService(name: string): ServiceDiscoveryService {
    return new ServiceDiscoveryService(this, `service-${name}`, {
      name,
      dnsConfig: {
        namespaceId: this.namespace.id,
        dnsRecords: [{ type: DISCOVERY_DNS.recordType, ttl: DISCOVERY_DNS.ttl }],
        routingPolicy: DISCOVERY_DNS.routingPolicy,
      },
      // ECS reports task health to Cloud Map; `failure_threshold` is deprecated (AWS always uses 1).
      healthCheckCustomConfig: {},
    });
  }
}
