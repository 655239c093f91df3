/**
 * App Mesh, construct half: the mesh; per service a virtual router and service (created first, since nodes
 * name their backends' virtual services), per version a virtual node discovering that version's tasks in
 * Cloud Map, and the routes that weigh the versions.
 */
import type { Construct } from "constructs";
import type { ResolvedService } from "../../config/model";
import { ecrRepositoryArnOf } from "../../constructs/ecr-repository";
import type { ProviderStack, ProviderStackFactory, ServicePieces } from "../provider";
import { ExternalVirtualService } from "./external-service";
import { externalNodeName, VIRTUAL_SERVICE_PLACEHOLDER_IP, versionNodeName } from "./facts";
import { IngressGateway, type IngressGatewayProps } from "./gateway";
import { Mesh } from "./mesh";
import { optionsOf } from "./options";
import { tlsStatements } from "./tls";
import { VirtualNode } from "./virtual-node";
import { VirtualRouter } from "./virtual-router";
import { VirtualService } from "./virtual-service";

export const appMeshStack: ProviderStackFactory = (scope, { env, cloudMap, namespace, accountId }): ProviderStack => {
  const { envoy, egress, ipPreference } = optionsOf(env);
  const mesh = new Mesh(scope, "mesh", { name: env.names.prefix, egress, ...(ipPreference && { ipPreference }) });
  const externals = new Map(
    env.externalServices.map((external) => [
      external.name,
      new ExternalVirtualService(scope, `external-${external.name}`, {
        meshName: mesh.name,
        nodeName: externalNodeName(env.names, external.name),
        external,
      }).service,
    ]),
  );
  const routers = new Map<string, VirtualRouter>();
  const virtualServices = new Map<string, VirtualService>();
  for (const s of env.services) {
    const router = new VirtualRouter(scope, `${s.name}-router`, { meshName: mesh.name, service: s });
    routers.set(s.name, router);
    virtualServices.set(
      s.name,
      new VirtualService(scope, `${s.name}-virtual-service`, {
        meshName: mesh.name,
        name: s.names.dnsName,
        virtualRouterName: router.router.name,
      }),
    );
  }
  const envoyRepository = ecrRepositoryArnOf(envoy.image);
  return {
    outputs: { mesh_name: mesh.name },
    ingress(scope: Construct, s: ResolvedService, target) {
      new IngressGateway(scope, `${s.name}-gateway`, {
        env: env as IngressGatewayProps["env"],
        meshName: mesh.name,
        service: s,
        virtualServiceName: virtualServices.get(s.name)!.service.name,
        accountId,
        envoyRepositories: envoyRepository ? [envoyRepository] : [],
        ...target,
      });
    },
    service(scope: Construct, s: ResolvedService): ServicePieces {
      const nodes = s.versions.map((version) => ({
        version,
        node: new VirtualNode(scope, version.name === undefined ? `${s.name}-node` : `${s.name}-${version.name}-node`, {
          meshName: mesh.name,
          namespace: namespace.name,
          name: versionNodeName(s.names, version.name),
          service: s,
          version,
          backends: [
            ...s.backends.map((b) => ({ virtualServiceName: virtualServices.get(b.service)!.service.name, ...(b.tls && { tls: b.tls }) })),
            ...s.externalBackends.map((e) => ({ virtualServiceName: externals.get(e.name)!.name })),
          ],
        }).virtualNode,
      }));
      const nodeOf = new Map(nodes.map(({ version, node }) => [version.name, node]));
      routers.get(s.name)!.routeTo((version) => nodeOf.get(version)!.name);
      const arns = nodes.map(({ node }) => node.arn);
      const versionless = nodes.length === 1 && nodes[0]!.version.name === undefined;
      // Each version's tasks register under its own name (svc-v1, svc-v2), so nothing answers for the service's
      // own; yet the app resolves that name before Envoy routes the call by it. AWS's troubleshooting guide: "add
      // a DNS A record to any non-loopback IP address, such as 10.10.10.10, for the virtual service name".
      if (!versionless) cloudMap.addStaticRecord(s.names.discovery, VIRTUAL_SERVICE_PLACEHOLDER_IP);
      return {
        versions: nodes.map(({ version, node }) => ({
          refs: { virtualNodeArn: node.arn },
          ecsService: { serviceRegistries: { registryArn: cloudMap.addService(version.names.discovery).arn } },
        })),
        taskStatements: [
          {
            Sid: "AppMeshOwnNode",
            Effect: "Allow",
            Action: "appmesh:StreamAggregatedResources",
            Resource: arns.length === 1 ? arns[0]! : arns,
          },
          ...tlsStatements(
            s.tls?.certificate,
            s.backends.flatMap((b) => (b.tls ? [b.tls.trust] : [])),
          ),
        ],
        pullRepositories: envoyRepository ? [envoyRepository] : [],
        outputs: versionless
          ? { virtual_node_arn: arns[0]! }
          : { virtual_node_arns: Object.fromEntries(nodes.map(({ version, node }) => [version.name!, node.arn])) },
      };
    },
  };
};
