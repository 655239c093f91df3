/** The stack's outputs: the environment's (namespace, cluster, dead-letter queue, the provider's) and each service's. */
import { TerraformOutput, type TerraformStack } from "cdktf";
import type { ServiceHandle } from "./service";
import type { SharedParts } from "./shared";

/** What a user needs of one service once it is deployed: its DNS name, ECS service(s), repository, way in, and the provider's own. */
function serviceOutputs(h: ServiceHandle): Record<string, unknown> {
  const s = h.service;
  const versionless = s.versions.length === 1 && s.versions[0]!.name === undefined;
  return {
    dns_name: s.names.dnsName,
    ...(versionless
      ? { ecs_service: h.versions[0]!.ecsService.name }
      : { ecs_services: Object.fromEntries(h.versions.map((v) => [v.version.name!, v.ecsService.name])) }),
    ...(h.repository && { ecr_repository_url: h.repository.repositoryUrl }),
    ...(h.ingress && { ingress_dns_name: h.ingress.loadBalancer.dnsName }),
    ...h.pieces.outputs,
  };
}

export function stackOutputs(stack: TerraformStack, shared: SharedParts, services: readonly ServiceHandle[]): void {
  for (const [name, value] of Object.entries(shared.mesh.outputs)) new TerraformOutput(stack, name, { value });
  new TerraformOutput(stack, "namespace", { value: shared.cloudMap.namespace.name });
  new TerraformOutput(stack, "cluster_name", { value: shared.cluster.cluster.name });
  if (shared.deadLetters) new TerraformOutput(stack, "dead_letter_queue_url", { value: shared.deadLetters.url });
  if (shared.web) {
    new TerraformOutput(stack, "load_balancer_dns_name", {
      value: shared.web.loadBalancer.dnsName,
      description: "The environment's Application Load Balancer: point the rules' hosts at it (a CNAME, or a Route 53 alias)",
    });
  }
  new TerraformOutput(stack, "services", {
    value: Object.fromEntries(services.map((h) => [h.service.name, serviceOutputs(h)])),
    description:
      "Per service: DNS name, ECS service, ECR repository, the ingress load balancer's DNS name, and the provider's own (App Mesh: virtual node)",
  });
}
