import { AppmeshVirtualNode } from "@cdktf/provider-aws/lib/appmesh-virtual-node";
import { Construct } from "constructs";
import { toAppMeshDuration } from "../../config/duration";
import type { ResolvedService } from "../../config/model";

export interface VirtualNodeProps {
  meshName: string;
  namespace: string;
  service: ResolvedService;
  /** Names of the virtual services this node may call (Terraform references, for ordering). */
  backendVirtualServices: string[];
}

/**
 * The App Mesh virtual node of one service: its listener (port, timeout, health check), Cloud Map
 * discovery of the service itself, its backends and an access log on stdout.
 */
export class VirtualNode extends Construct {
  readonly virtualNode: AppmeshVirtualNode;

  constructor(scope: Construct, id: string, props: VirtualNodeProps) {
    super(scope, id);
    const { service } = props;
    const hc = service.healthCheck;
    const perRequest = toAppMeshDuration(service.listenerTimeoutMs);
    this.virtualNode = new AppmeshVirtualNode(this, "node", {
      name: service.names.virtualNode,
      meshName: props.meshName,
      spec: {
        listener: [
          {
            portMapping: { port: service.port, protocol: service.protocol },
            timeout: { [service.protocol]: { perRequest } },
            healthCheck: {
              protocol: service.protocol,
              path: service.healthCheckPath,
              port: service.port,
              intervalMillis: hc.intervalMs,
              timeoutMillis: hc.timeoutMs,
              healthyThreshold: hc.healthyThreshold,
              unhealthyThreshold: hc.unhealthyThreshold,
            },
          },
        ],
        serviceDiscovery: { awsCloudMap: { namespaceName: props.namespace, serviceName: service.names.discovery } },
        ...(props.backendVirtualServices.length > 0 && {
          backend: props.backendVirtualServices.map((virtualServiceName) => ({ virtualService: { virtualServiceName } })),
        }),
        logging: { accessLog: { file: { path: "/dev/stdout" } } },
      },
    });
  }
}
