/**
 * The containers of a task as ECS container definitions: the app, what the provider adds beside it
 * (Envoy, or Service Connect's readiness gate) and the X-Ray daemon. A pure function of its inputs, so it
 * can be tested, and its size measured, without synthesizing a stack.
 */
import { APP_VARIABLES, backendVariables } from "../config/app-environment";
import { TRACING_PORTS } from "../config/limits";
import type { ResolvedEnvironment } from "../config/model";
import type { ContainerDefinition, ContainerInputs, MeshProvider, ProviderContainers } from "../providers/provider";
import { APP_UID, awsLogs, CONTAINER, sortedEnvironment, TMP_VOLUME } from "./container-basics";
import { tracingContainer } from "./tracing-container";

/** What of the provider the containers need: what it adds to a task, and what it tells a caller about a backend. */
export type ContainerProvider = Pick<MeshProvider, "containers" | "backendVariables">;

/** Where the app sends traces: X-Ray's UDP protocol to either collector, OTLP to ADOT's. */
export function tracingVariables(tracing: ResolvedEnvironment["tracing"]): Record<string, string> {
  if (tracing.collector === "none") return {};
  return {
    [APP_VARIABLES.xray]: `127.0.0.1:${TRACING_PORTS.xray}`,
    ...(tracing.collector === "adot" && { [APP_VARIABLES.otlp]: `http://127.0.0.1:${TRACING_PORTS.otlpHttp}` }),
  };
}

/** What the app container is told: its port, namespace, tracing, backends (URL, deadline, provider extras), dead-letter queue. */
export function appEnvironment(provider: Pick<MeshProvider, "backendVariables">, input: ContainerInputs): Record<string, string> {
  const { env, service } = input;
  const vars: Record<string, string> = { ...service.environment };
  for (const b of service.backends) {
    const names = backendVariables(b.service);
    Object.assign(vars, { [names.url]: b.url, [names.timeout]: String(b.timeoutMs) }, provider.backendVariables(b));
  }
  for (const e of service.externalBackends) vars[backendVariables(e.name).url] = e.url;
  if (service.deadLetterQueue && input.deadLetterQueueUrl) vars[APP_VARIABLES.deadLetterQueue] = input.deadLetterQueueUrl;
  return {
    ...vars,
    [APP_VARIABLES.port]: String(service.port),
    [APP_VARIABLES.namespace]: env.names.namespace,
    ...tracingVariables(env.tracing),
  };
}

export interface TaskContainers {
  containers: ContainerDefinition[];
  proxyConfiguration?: ProviderContainers["proxyConfiguration"];
}

export function taskContainers(mesh: ContainerProvider, input: ContainerInputs): TaskContainers {
  const { env, service } = input;
  const provider = mesh.containers(input);
  const logs = (prefix: string) => awsLogs(input.logGroupName, env.region, prefix);
  const tmp = [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }];
  const timing = provider.appHealthCheck ?? { interval: 10, timeout: 5, retries: 3 };
  const app = {
    name: CONTAINER.app,
    image: input.appImage,
    essential: true,
    cpu: service.app.cpu,
    memoryReservation: service.app.memory,
    user: APP_UID,
    readonlyRootFilesystem: true,
    mountPoints: tmp,
    portMappings: [{ containerPort: service.port, protocol: "tcp", ...provider.portMapping }],
    environment: sortedEnvironment(appEnvironment(mesh, input)),
    healthCheck: { command: service.healthCheckCommand, ...timing, startPeriod: 10 },
    ...(provider.appDependsOn.length > 0 && { dependsOn: provider.appDependsOn }),
    logConfiguration: logs(CONTAINER.app),
  };
  return {
    containers: [app, ...provider.sidecars, ...tracingContainer(env.tracing, provider.tracingUser, logs)],
    ...(provider.proxyConfiguration && { proxyConfiguration: provider.proxyConfiguration }),
  };
}
