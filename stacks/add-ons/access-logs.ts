/**
 * Access logs: what the provider sets on each ECS service beyond what the AWS provider bindings can express, by
 * override (Service Connect: its proxies' access logs, `service_connect_configuration.access_log_configuration`,
 * which arrived after the bindings' 6.25.0; see src/providers/service-connect/stack.ts).
 */
import type { TerraformStack } from "cdktf";
import type { AddOnContext } from ".";

export function accessLogs(_stack: TerraformStack, { shared, services }: AddOnContext): void {
  const overrides = shared.mesh.ecsServiceOverrides;
  if (!overrides) return;
  for (const h of services) {
    for (const [path, value] of Object.entries(overrides(h.service))) {
      for (const v of h.versions) v.ecsService.addOverride(path, value);
    }
  }
}
