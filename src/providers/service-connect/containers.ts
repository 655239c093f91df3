/**
 * What a Service Connect task adds beside the app. ECS injects the proxy itself, outside the task
 * definition. Service Connect has no application health check: traffic can reach a container that is still
 * starting (aws/containers-roadmap#2334). AWS's workaround, used here: the app has a container health check
 * and a small non-essential container depends on the app being HEALTHY, so ECS holds the task back until
 * the app is ready. The gate runs the app's own image (immutable, scanned, already pulled) and its own
 * health check command once, then exits.
 */
import { awsLogs, CONTAINER } from "../../constructs/container-basics";
import type { ContainerDefinition, ContainerInputs, ProviderContainers } from "../provider";

/** The command a health check runs, as the gate container's entry point and command. */
function commandOf(healthCheck: string[]): Pick<ContainerDefinition, "entryPoint" | "command"> {
  const [kind, ...rest] = healthCheck;
  return kind === "CMD-SHELL"
    ? { entryPoint: ["sh", "-c"], command: [rest.join(" ")] }
    : { entryPoint: rest.slice(0, 1), command: rest.slice(1) };
}

/** Service Connect's appProtocol for a service's protocol: none for TCP ("If you don't set a value for this parameter, then TCP is used": ECS API, PortMapping.appProtocol). */
export const appProtocolOf = (protocol: ContainerInputs["service"]["protocol"]): Record<string, string> =>
  protocol === "tcp" ? {} : { appProtocol: protocol };

export function serviceConnectContainers({ env, service, appImage, logGroupName }: ContainerInputs): ProviderContainers {
  const check = service.healthCheckCommand;
  return {
    // Without a container health check there is nothing for the gate to wait on (a warning says so, at validate).
    sidecars: check
      ? [
          {
            name: CONTAINER.ready,
            image: appImage,
            essential: false,
            cpu: 0,
            user: service.runtime.user,
            readonlyRootFilesystem: true,
            ...commandOf(check),
            dependsOn: [{ containerName: CONTAINER.app, condition: "HEALTHY" }],
            logConfiguration: awsLogs(logGroupName, env.region, CONTAINER.ready),
          },
        ]
      : [],
    appDependsOn: [],
    // No listener health check under Service Connect: the service's healthCheck times the container's.
    appHealthCheck: {
      interval: service.healthCheck.intervalMs / 1000,
      timeout: service.healthCheck.timeoutMs / 1000,
      retries: service.healthCheck.unhealthyThreshold,
    },
    // Service Connect finds the port by this name; appProtocol gives protocol-aware metrics and retries.
    portMapping: { name: service.name, ...appProtocolOf(service.protocol) },
    // The tracing collector keeps the uid the X-Ray daemon ran as before Service Connect (App Mesh's Envoy uid); any non-root uid would do.
    tracingUser: "1337",
  };
}
