import { AppmeshVirtualNode } from "@cdktf/provider-aws/lib/appmesh-virtual-node";
import { Construct } from "constructs";
import type { ResolvedBackend, ResolvedService, ResolvedVersion } from "../../config/model";
import { toAppMeshDuration } from "./duration";
import { clientPolicy, listenerTls } from "./tls";

export interface VirtualNodeProps {
  meshName: string;
  /** The node's name. */
  name: string;
  namespace: string;
  service: ResolvedService;
  /** The version this node is (a service without versions has one, with the service's names). */
  version: ResolvedVersion;
  /** The virtual services this node may call (names as Terraform references, for ordering), with their TLS. */
  backends: { virtualServiceName: string; tls?: ResolvedBackend["tls"] }[];
}

/**
 * App Mesh's connection pool for the listener's protocol (VirtualNodeConnectionPool: http {maxConnections,
 * maxPendingRequests}, http2 and grpc {maxRequests}, tcp {maxConnections}); the checks make sure the right field is given.
 */
function connectionPool(protocol: ResolvedService["protocol"], pool: NonNullable<ResolvedService["connectionPool"]>) {
  switch (protocol) {
    case "http2":
      return { http2: [{ maxRequests: pool.maxRequests! }] };
    case "grpc":
      return { grpc: { maxRequests: pool.maxRequests! } };
    case "tcp":
      return { tcp: [{ maxConnections: pool.maxConnections! }] };
    default:
      return {
        http: [{ maxConnections: pool.maxConnections!, ...(pool.maxPendingRequests && { maxPendingRequests: pool.maxPendingRequests }) }],
      };
  }
}

/**
 * The App Mesh virtual node of one version of a service: its listener (port, timeout, health check, outlier
 * detection, connection pool, TLS), Cloud Map discovery of the version's own tasks, its backends (each TLS one
 * verified against its CA) and an access log on stdout.
 */
export class VirtualNode extends Construct {
  readonly virtualNode: AppmeshVirtualNode;

  constructor(scope: Construct, id: string, props: VirtualNodeProps) {
    super(scope, id);
    const { service, version } = props;
    const hc = service.healthCheck;
    const perRequest = toAppMeshDuration(service.requestTimeoutMs);
    const protocol = service.protocol;
    const { outlierDetection: outlier, connectionPool: pool, tls } = service;
    this.virtualNode = new AppmeshVirtualNode(this, "node", {
      name: props.name,
      meshName: props.meshName,
      spec: {
        listener: [
          {
            portMapping: { port: service.port, protocol },
            // A TCP listener has no requests to time (TcpTimeout has an idle timeout only, none by default).
            ...(protocol !== "tcp" && { timeout: { [protocol]: { perRequest } } }),
            healthCheck: {
              protocol,
              // A path for HTTP only; gRPC uses the gRPC Health Checking Protocol, TCP a connection.
              ...((protocol === "http" || protocol === "http2") && { path: service.healthCheckPath }),
              port: service.port,
              intervalMillis: hc.intervalMs,
              timeoutMillis: hc.timeoutMs,
              healthyThreshold: hc.healthyThreshold,
              unhealthyThreshold: hc.unhealthyThreshold,
            },
            ...(outlier && {
              outlierDetection: {
                maxServerErrors: outlier.maxServerErrors,
                interval: toAppMeshDuration(outlier.intervalMs),
                baseEjectionDuration: toAppMeshDuration(outlier.baseEjectionMs),
                maxEjectionPercent: outlier.maxEjectionPercent,
              },
            }),
            ...(pool && { connectionPool: connectionPool(protocol, pool) }),
            ...(tls && { tls: listenerTls(tls) }),
          },
        ],
        serviceDiscovery: { awsCloudMap: { namespaceName: props.namespace, serviceName: version.names.discovery } },
        ...(props.backends.length > 0 && {
          backend: props.backends.map(({ virtualServiceName, tls }) => ({
            virtualService: {
              virtualServiceName,
              // A caller of a TLS service verifies its certificate against the CA that issued it.
              ...(tls && { clientPolicy: clientPolicy(tls, service.clientCertificate) }),
            },
          })),
        }),
        logging: { accessLog: { file: { path: "/dev/stdout" } } },
      },
    });
  }
}
