/**
 * What a Service Connect task adds beside the app. ECS injects the proxy itself, outside the task
 * definition. Service Connect has no application health check: traffic can reach a container that is still
 * starting (aws/containers-roadmap#2334). AWS's workaround, used here: the app has a container health check
 * and a small non-essential container depends on the app being HEALTHY, so ECS holds the task back until
 * the app is ready. The gate runs the app's own image (immutable, scanned, already pulled) and its own
 * health check command once, then exits.
 */
import { APP_UID, awsLogs, CONTAINER } from "../../constructs/container-basics";
import type { ContainerDefinition, ContainerInputs, ProviderContainers } from "../provider";

/** The command a health check runs, as the gate container's entry point and command. */
function commandOf(healthCheck: string[]): Pick<ContainerDefinition, "entryPoint" | "command"> {
  const [kind, ...rest] = healthCheck;
  return kind === "CMD-SHELL"
    ? { entryPoint: ["sh", "-c"], command: [rest.join(" ")] }
    : { entryPoint: rest.slice(0, 1), command: rest.slice(1) };
}

export function serviceConnectContainers({ env, service, appImage, logGroupName }: ContainerInputs): ProviderContainers {
  return {
    sidecars: [
      {
        name: CONTAINER.ready,
        image: appImage,
        essential: false,
        cpu: 0,
        user: APP_UID,
        readonlyRootFilesystem: true,
        ...commandOf(service.healthCheckCommand),
        dependsOn: [{ containerName: CONTAINER.app, condition: "HEALTHY" }],
        logConfiguration: awsLogs(logGroupName, env.region, CONTAINER.ready),
      },
    ],
    appDependsOn: [],
    // No listener health check under Service Connect: the service's healthCheck times the container's.
    appHealthCheck: {
      interval: service.healthCheck.intervalMs / 1000,
      timeout: service.healthCheck.timeoutMs / 1000,
      retries: service.healthCheck.unhealthyThreshold,
    },
    // Service Connect finds the port by this name; appProtocol gives protocol-aware metrics and retries.
    portMapping: { name: service.name, appProtocol: service.protocol },
    // The X-Ray daemon keeps the uid it ran as before Service Connect (App Mesh's Envoy uid); any non-root uid would do.
    tracingUser: "1337",
  };
}
