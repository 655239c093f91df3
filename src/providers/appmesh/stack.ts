/**
 * App Mesh, construct half: the mesh; per service a virtual router and service (created first, since nodes
 * name their backends' virtual services), a virtual node discovering itself in Cloud Map, and a route.
 */
import type { Construct } from "constructs";
import type { ResolvedService } from "../../config/model";
import { ecrRepositoryArnOf } from "../../constructs/ecr-repository";
import type { ProviderFactory, ProviderStack } from "../stack";
import { Mesh } from "./mesh";
import { VirtualNode } from "./virtual-node";
import { VirtualRouter } from "./virtual-router";
import { VirtualService } from "./virtual-service";

export const appMeshStack: ProviderFactory = (scope, { env, cloudMap, namespace }): ProviderStack => {
  if (env.mesh.provider !== "appmesh") throw new Error("the App Mesh stack needs an App Mesh environment");
  const { envoy, egress } = env.mesh;
  const mesh = new Mesh(scope, "mesh", { name: env.names.prefix, egress });
  const routers = new Map<string, VirtualRouter>();
  const virtualServices = new Map<string, VirtualService>();
  for (const s of env.services) {
    const router = new VirtualRouter(scope, `${s.name}-router`, { meshName: mesh.name, service: s });
    routers.set(s.name, router);
    virtualServices.set(
      s.name,
      new VirtualService(scope, `${s.name}-virtual-service`, { meshName: mesh.name, name: s.names.virtualService, virtualRouterName: router.router.name }),
    );
  }
  const envoyRepository = ecrRepositoryArnOf(envoy.image);
  return {
    callersAfterBackends: false,
    outputs: { mesh_name: mesh.name },
    service(scope: Construct, s: ResolvedService) {
      const node = new VirtualNode(scope, `${s.name}-node`, {
        meshName: mesh.name,
        namespace: namespace.name,
        service: s,
        backendVirtualServices: s.backends.map((b) => virtualServices.get(b.service)!.service.name),
      }).virtualNode;
      routers.get(s.name)!.routeTo(node.name);
      const discovery = cloudMap.addService(s.names.discovery);
      return {
        refs: { virtualNodeArn: node.arn },
        ecsService: { serviceRegistries: { registryArn: discovery.arn } },
        taskStatements: [{ Sid: "AppMeshOwnNode", Effect: "Allow", Action: "appmesh:StreamAggregatedResources", Resource: node.arn }],
        pullRepositories: envoyRepository ? [envoyRepository] : [],
        outputs: { virtual_node_arn: node.arn },
      };
    },
  };
};
