import { AppmeshRoute } from "@cdktf/provider-aws/lib/appmesh-route";
import { AppmeshVirtualRouter } from "@cdktf/provider-aws/lib/appmesh-virtual-router";
import { Construct } from "constructs";
import { toAppMeshDuration } from "../../config/duration";
import type { ResolvedService } from "../../config/model";

export interface VirtualRouterProps {
  meshName: string;
  service: ResolvedService;
}

/**
 * The virtual router of one service and its route: prefix match, timeout, retry policy, one weighted
 * target. The route is added once the virtual node exists (`routeTo`), so Terraform orders them.
 */
export class VirtualRouter extends Construct {
  readonly router: AppmeshVirtualRouter;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: VirtualRouterProps,
  ) {
    super(scope, id);
    const { service } = props;
    this.router = new AppmeshVirtualRouter(this, "router", {
      name: service.names.virtualRouter,
      meshName: props.meshName,
      spec: { listener: [{ portMapping: { port: service.port, protocol: service.protocol } }] },
    });
  }

  routeTo(virtualNodeName: string): AppmeshRoute {
    const { service, meshName } = this.props;
    const { route } = service;
    const retry = route.retryPolicy;
    const httpRoute = {
      match: { prefix: route.prefix },
      action: { weightedTarget: [{ virtualNode: virtualNodeName, weight: 100 }] },
      timeout: { perRequest: toAppMeshDuration(route.timeoutMs) },
      ...(retry && {
        retryPolicy: {
          maxRetries: retry.maxRetries,
          perRetryTimeout: toAppMeshDuration(retry.perRetryTimeoutMs),
          ...(retry.httpRetryEvents.length > 0 && { httpRetryEvents: retry.httpRetryEvents }),
          ...(retry.tcpRetryEvents.length > 0 && { tcpRetryEvents: retry.tcpRetryEvents }),
        },
      }),
    };
    return new AppmeshRoute(this, "route", {
      name: service.names.route,
      meshName,
      virtualRouterName: this.router.name,
      spec: {
        priority: route.priority,
        ...(service.protocol === "http2" ? { http2Route: httpRoute } : { httpRoute }),
      },
    });
  }
}
