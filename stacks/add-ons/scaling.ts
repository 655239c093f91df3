/**
 * Scaling: each ECS service whose service scales gets Application Auto Scaling (src/constructs/service-scaling.ts):
 * its range, target tracking on CPU and memory, on requests per task where the provider publishes request metrics
 * (Service Connect's RequestCount over the running tasks), scheduled actions and cooldowns. The ECS service itself
 * ignores desired_count once scaling owns it (stacks/service.ts, ignoreDesiredCount).
 */
import type { TerraformStack } from "cdktf";
import { ecsRunningTasks } from "../../src/config/metrics";
import { scalingRange } from "../../src/config/operate-model";
import { ServiceScaling } from "../../src/constructs/service-scaling";
import type { AddOnContext } from ".";

export function scaling(stack: TerraformStack, { shared, services }: AddOnContext): void {
  const { env, provider, cluster } = shared;
  const clusterName = env.names.prefix;
  for (const h of services) {
    const s = h.service;
    if (!s.scaling) continue;
    for (const { version, ecsService } of h.versions) {
      const range = scalingRange(s, version);
      if (!range) continue;
      const ecsName = version.names.ecsService;
      // The check requestScaling refuses requestsPerTask under a provider without request metrics.
      const requests =
        s.scaling.requestsPerTask !== undefined && provider.metrics
          ? {
              perTask: s.scaling.requestsPerTask,
              requests: provider.metrics.requests({
                clusterName,
                ecsService: ecsName,
                discoveryName: version.names.discovery,
                callers: [],
              }),
              runningTasks: ecsRunningTasks(clusterName, ecsName),
            }
          : undefined;
      const id = version.name === undefined ? s.name : `${s.name}-${version.name}`;
      new ServiceScaling(stack, `${id}-scaling`, {
        name: ecsName,
        clusterName: cluster.cluster.name,
        ecsServiceName: ecsService.name,
        ...range,
        ...(s.scaling.cpuPercent !== undefined && { cpuPercent: s.scaling.cpuPercent }),
        ...(s.scaling.memoryPercent !== undefined && { memoryPercent: s.scaling.memoryPercent }),
        ...(requests && { requests }),
        schedule: s.scaling.schedule,
        cooldown: s.scaling.cooldown,
        resolutionSeconds: s.scaling.resolutionSeconds,
      });
    }
  }
}
