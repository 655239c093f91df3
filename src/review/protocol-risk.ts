/**
 * A Service Connect service whose protocol changes (MF923): the `appProtocol` of the port mapping it serves
 * differs between the two stacks (absent is TCP). "appProtocol is immutable in a Service Connect service.
 * Updating this field requires a service deletion and redeployment" (ECS API reference, PortMapping), so
 * meshform has Terraform replace the ECS service (a terraform_data holding the protocol, named in its
 * replace_triggered_by): Terraform deletes it, its tasks stop, and only then does the new one start.
 */
import type { ResolvedEnvironment } from "../config/model";
import type { Json, ResourceChange } from "./diff";
import { FINDINGS, type Finding } from "./findings";
import { ownerOf } from "./owners";
import { get, parseJson, referenced, resources } from "./stack";

/** The protocol Service Connect serves an ECS service's port with, from its task definition: `tcp` when appProtocol is absent. */
function servedProtocol(stack: Json | undefined, service: Json | undefined): { port: string; protocol: string } | undefined {
  const sc = service?.service_connect_configuration;
  if (!sc?.enabled) return undefined;
  const ports = ((sc.service ?? []) as Json[]).map((s) => s.port_name);
  const containers = (parseJson(referenced(stack, service?.task_definition)?.container_definitions) ?? []) as Json[];
  for (const c of containers)
    for (const p of (c.portMappings ?? []) as Json[]) if (ports.includes(p.name)) return { port: p.name, protocol: p.appProtocol ?? "tcp" };
  return undefined;
}

export function protocolFindings(
  before: Json | undefined,
  after: Json | undefined,
  changes: readonly ResourceChange[],
  env: ResolvedEnvironment | undefined,
): Finding[] {
  const out: Finding[] = [];
  for (const [name, service] of resources(after, "aws_ecs_service")) {
    const address = `aws_ecs_service.${name}`;
    const [was, now] = [servedProtocol(before, get(before, address)), servedProtocol(after, service)];
    if (!was || !now || was.protocol === now.protocol) continue;
    const replaced = changes.some((c) => c.address === address && c.action === "replace");
    const owner = ownerOf(env, after, service);
    const change = `${service.name}'s protocol changes from ${was.protocol} to ${now.protocol} (the appProtocol of port ${now.port}; none is TCP), which Service Connect cannot update in place`;
    out.push({
      rule: FINDINGS.protocolReplaced,
      resource: address,
      message: replaced
        ? `${change}: Terraform replaces the ECS service, so its tasks stop before the new service's start, and its callers' calls fail until those are healthy`
        : `${change}, and this change does not replace the ECS service (nothing in its replace_triggered_by changes): the apply fails; replace it (terraform apply -replace=${address}), and its callers' calls fail until the new tasks are healthy`,
      ...(owner && { field: ["services", owner.service.name, "protocol"] }),
    });
  }
  return out;
}
