import { AppmeshVirtualService } from "@cdktf/provider-aws/lib/appmesh-virtual-service";
import { Construct } from "constructs";

export interface VirtualServiceProps {
  meshName: string;
  /** The DNS name callers use, `<svc>.<env>.<internalDomain>`. */
  name: string;
  virtualRouterName: string;
}

/** The virtual service callers address, provided by the service's virtual router. */
export class VirtualService extends Construct {
  readonly service: AppmeshVirtualService;

  constructor(scope: Construct, id: string, props: VirtualServiceProps) {
    super(scope, id);
    this.service = new AppmeshVirtualService(this, "service", {
      name: props.name,
      meshName: props.meshName,
      spec: { provider: { virtualRouter: { virtualRouterName: props.virtualRouterName } } },
    });
  }
}
