import { AppmeshVirtualNode } from "@cdktf/provider-aws/lib/appmesh-virtual-node";
import { AppmeshVirtualService } from "@cdktf/provider-aws/lib/appmesh-virtual-service";
import { Construct } from "constructs";
import type { ExternalService } from "../../config/model";

export interface ExternalServiceProps {
  meshName: string;
  /** The virtual node's name. */
  nodeName: string;
  external: ExternalService;
}

/**
 * A service outside the mesh, reachable under DROP_ALL: a virtual node that finds it by DNS, listening on its
 * port as TCP (the app speaks TLS to it itself), and a virtual service named after its host, which callers
 * list as a backend so their Envoy lets them through.
 */
export class ExternalVirtualService extends Construct {
  readonly service: AppmeshVirtualService;

  constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    const { external } = props;
    const node = new AppmeshVirtualNode(this, "node", {
      name: props.nodeName,
      meshName: props.meshName,
      spec: {
        listener: [{ portMapping: { port: external.port, protocol: "tcp" } }],
        serviceDiscovery: { dns: { hostname: external.host } },
      },
    });
    this.service = new AppmeshVirtualService(this, "service", {
      name: external.host,
      meshName: props.meshName,
      spec: { provider: { virtualNode: { virtualNodeName: node.name } } },
    });
  }
}
