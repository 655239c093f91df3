import { AppmeshRoute, type AppmeshRouteSpecGrpcRoute, type AppmeshRouteSpecHttpRoute } from "@cdktf/provider-aws/lib/appmesh-route";
import { AppmeshVirtualRouter } from "@cdktf/provider-aws/lib/appmesh-virtual-router";
import { Construct } from "constructs";
import type { ResolvedRoute, ResolvedService, RouteMatch } from "../../config/model";
import { toAppMeshDuration } from "./duration";
import { appMeshNames, routeName } from "./facts";

export interface VirtualRouterProps {
  meshName: string;
  service: ResolvedService;
}

/** App Mesh's match block for a route's match. */
function match(m: RouteMatch): AppmeshRouteSpecHttpRoute["match"] {
  return {
    ...(m.prefix !== undefined && { prefix: m.prefix }),
    ...(m.path && { path: m.path }),
    ...(m.method && { method: m.method }),
    ...(m.headers.length > 0 && { header: m.headers.map((h) => ({ name: h.name, invert: h.invert, ...(h.match && { match: h.match }) })) }),
    ...(m.queryParameters.length > 0 && { queryParameter: m.queryParameters.map((q) => ({ name: q.name, match: { exact: q.exact } })) }),
  };
}

/** A route's action: its versions' virtual nodes, each with its weight (every route kind has this one). */
const weighted = (route: ResolvedRoute, nodeOf: (version: string | undefined) => string) => ({
  weightedTarget: route.targets.map((t) => ({ virtualNode: nodeOf(t.version), weight: t.weight })),
});

/** The HTTP and TCP retry events of a policy, each written only when it has some. */
const httpAndTcpEvents = (retry: NonNullable<ResolvedRoute["retryPolicy"]>) => ({
  ...(retry.httpRetryEvents.length > 0 && { httpRetryEvents: retry.httpRetryEvents }),
  ...(retry.tcpRetryEvents.length > 0 && { tcpRetryEvents: retry.tcpRetryEvents }),
});

/** One route as App Mesh's http (or http2) route: match, weighted targets, timeout, retry policy. */
function httpRoute(route: ResolvedRoute, nodeOf: (version: string | undefined) => string): AppmeshRouteSpecHttpRoute {
  const retry = route.retryPolicy;
  return {
    match: match(route.match),
    action: weighted(route, nodeOf),
    timeout: { perRequest: toAppMeshDuration(route.timeoutMs) },
    ...(retry && {
      retryPolicy: {
        maxRetries: retry.maxRetries,
        perRetryTimeout: toAppMeshDuration(retry.perRetryTimeoutMs),
        ...httpAndTcpEvents(retry),
      },
    }),
  };
}

/**
 * One route as App Mesh's gRPC route: headers match the call's metadata, weighted targets, a timeout and the
 * retry policy with its gRPC events (App Mesh API reference, GrpcRoute, GrpcRetryPolicy).
 */
function grpcRoute(route: ResolvedRoute, nodeOf: (version: string | undefined) => string): AppmeshRouteSpecGrpcRoute {
  const retry = route.retryPolicy;
  const headers = route.match.headers;
  return {
    ...(headers.length > 0 && {
      match: { metadata: headers.map((h) => ({ name: h.name, invert: h.invert, ...(h.match && { match: h.match }) })) },
    }),
    action: weighted(route, nodeOf),
    timeout: { perRequest: toAppMeshDuration(route.timeoutMs) },
    ...(retry && {
      retryPolicy: {
        maxRetries: retry.maxRetries,
        perRetryTimeout: toAppMeshDuration(retry.perRetryTimeoutMs),
        ...(retry.grpcRetryEvents && { grpcRetryEvents: retry.grpcRetryEvents }),
        ...httpAndTcpEvents(retry),
      },
    }),
  };
}

/** The route spec for the service's protocol: a TCP route only weighs the versions (TcpRoute has no match on requests and no retry policy). */
function routeSpec(protocol: ResolvedService["protocol"], route: ResolvedRoute, nodeOf: (version: string | undefined) => string) {
  switch (protocol) {
    case "tcp":
      return { tcpRoute: { action: weighted(route, nodeOf) } };
    case "grpc":
      return { grpcRoute: grpcRoute(route, nodeOf) };
    case "http2":
      return { http2Route: httpRoute(route, nodeOf) };
    default:
      return { httpRoute: httpRoute(route, nodeOf) };
  }
}

/**
 * The virtual router of one service and its routes: each a match (prefix or path, method, headers, query
 * parameters), weighted targets (the service's versions' nodes), a timeout and a retry policy. Routes are
 * added once the virtual nodes exist (`routeTo`), so Terraform orders them.
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
      name: appMeshNames(service.names).virtualRouter,
      meshName: props.meshName,
      spec: { listener: [{ portMapping: { port: service.port, protocol: service.protocol } }] },
    });
  }

  /** The service's routes, to the virtual node of each version (`nodeOf` its name, undefined for the one unnamed version). */
  routeTo(nodeOf: (version: string | undefined) => string): AppmeshRoute[] {
    const { service, meshName } = this.props;
    return service.routes.map(
      (route) =>
        new AppmeshRoute(this, route.name === undefined ? "route" : `route-${route.name}`, {
          name: routeName(service.names, route.name),
          meshName,
          virtualRouterName: this.router.name,
          spec: { priority: route.priority, ...routeSpec(service.protocol, route, nodeOf) },
        }),
    );
  }
}
