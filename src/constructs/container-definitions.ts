/**
 * The containers of a task as ECS container definitions: the app, what the provider adds beside it
 * (Envoy, or Service Connect's readiness gate) and the X-Ray daemon. A pure function of its inputs, so it
 * can be tested, and its size measured, without synthesizing a stack.
 */
import { APP_VARIABLES, backendVariables } from "../config/app-environment";
import { TRACING_PORTS } from "../config/limits";
import type { ResolvedEnvironment } from "../config/model";
import type { ContainerDefinition, ContainerInputs, MeshProvider, ProviderContainers } from "../providers/provider";
import { awsLogs, CONTAINER, sortedEnvironment } from "./container-basics";
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

/**
 * What the app container is told: its port, namespace, tracing, backends (URL, deadline, provider extras), dead-letter
 * queue, and what the provider's containers set over them (VPC Lattice: its URLs and how to sign).
 */
export function appEnvironment(provider: ContainerProvider, input: ContainerInputs): Record<string, string> {
  const { env, service } = input;
  const vars: Record<string, string> = { ...service.environment };
  for (const b of service.backends) {
    const names = backendVariables(b.service);
    Object.assign(
      vars,
      { [names.url]: b.url },
      // A TCP backend has connections, not calls to time: no deadline; its host and port apart, as drivers take them.
      b.protocol === "tcp" ? {} : { [names.timeout]: String(b.timeoutMs) },
      b.protocol === "tcp" || b.protocol === "grpc" ? { [names.host]: b.dnsName, [names.port]: String(b.port) } : {},
      // Test traffic and header routes reach the backend only if the caller passes their headers on.
      b.forwardHeaders.length > 0 ? { [names.forwardHeaders]: b.forwardHeaders.join(",") } : {},
      provider.backendVariables(b),
    );
  }
  for (const e of service.externalBackends) vars[backendVariables(e.name).url] = e.url;
  if (service.deadLetterQueue && input.deadLetterQueueUrl) vars[APP_VARIABLES.deadLetterQueue] = input.deadLetterQueueUrl;
  return {
    ...vars,
    ...provider.containers(input).environment,
    [APP_VARIABLES.port]: String(service.port),
    [APP_VARIABLES.namespace]: env.names.namespace,
    ...tracingVariables(env.tracing),
  };
}

export interface TaskContainers {
  containers: ContainerDefinition[];
  proxyConfiguration?: ProviderContainers["proxyConfiguration"];
}

/** The task volume a writable path is: `/tmp` → `tmp`, `/app/cache` → `app-cache` (ECS: letters, digits, _ and -). */
export const volumeName = (path: string) => path.replace(/^\/+|\/+$/g, "").replace(/[^A-Za-z0-9_-]+/g, "-") || "root";

/** The app's log configuration: its log group (awslogs), or the FireLens router, by default to the same group. */
function appLogs(input: ContainerInputs, logs: (prefix: string) => ReturnType<typeof awsLogs>) {
  const { logging } = input.service.runtime;
  if (logging.driver === "awslogs") return logs(CONTAINER.app);
  const name = logging.options.Name ?? "cloudwatch_logs";
  // FireLens's cloudwatch_logs output (aws-for-fluent-bit): the service's own group unless the options name one.
  const own =
    name === "cloudwatch_logs"
      ? { region: input.env.region, log_group_name: input.logGroupName, log_stream_prefix: `${CONTAINER.app}/`, auto_create_group: "false" }
      : {};
  return { logDriver: "awsfirelens", options: { Name: name, ...own, ...logging.options } };
}

/** The service's own sidecars (a log router, an agent), each logging to the service's group. */
function ownSidecars(input: ContainerInputs, logs: (prefix: string) => ReturnType<typeof awsLogs>): ContainerDefinition[] {
  return input.service.runtime.sidecars.map((c) => ({
    name: c.name,
    image: c.image,
    essential: c.essential,
    cpu: c.cpu,
    memoryReservation: c.memory,
    user: c.user,
    readonlyRootFilesystem: c.readonlyRootFilesystem,
    ...(c.entryPoint && { entryPoint: c.entryPoint }),
    ...(c.command && { command: c.command }),
    ...(Object.keys(c.environment).length > 0 && { environment: sortedEnvironment(c.environment) }),
    // FireLens: "type … The valid values are fluentd or fluentbit" (ECS task definition parameters).
    ...(c.firelens && { firelensConfiguration: { type: c.firelens } }),
    logConfiguration: logs(c.name),
  }));
}

export function taskContainers(mesh: ContainerProvider, input: ContainerInputs): TaskContainers {
  const { env, service } = input;
  const { runtime } = service;
  const provider = mesh.containers(input);
  const logs = (prefix: string) => awsLogs(input.logGroupName, env.region, prefix);
  const timing = provider.appHealthCheck ?? { interval: 10, timeout: 5, retries: 3 };
  const router = runtime.sidecars.find((c) => c.firelens);
  // The log router starts first, so that the app's first lines are not lost (FireLens).
  const dependsOn = [...provider.appDependsOn, ...(router ? [{ containerName: router.name, condition: "START" as const }] : [])];
  const secrets = [...runtime.secrets].sort((a, b) => a.name.localeCompare(b.name)).map(({ name, valueFrom }) => ({ name, valueFrom }));
  const app = {
    name: CONTAINER.app,
    image: input.appImage,
    essential: true,
    cpu: service.app.cpu,
    memoryReservation: service.app.memory,
    user: runtime.user,
    readonlyRootFilesystem: runtime.readonlyRootFilesystem,
    ...(runtime.entryPoint && { entryPoint: runtime.entryPoint }),
    ...(runtime.command && { command: runtime.command }),
    ...(runtime.writablePaths.length > 0 && {
      mountPoints: runtime.writablePaths.map((path) => ({ sourceVolume: volumeName(path), containerPath: path, readOnly: false })),
    }),
    portMappings: [{ containerPort: service.port, protocol: "tcp", ...provider.portMapping }],
    environment: sortedEnvironment(appEnvironment(mesh, input)),
    ...(secrets.length > 0 && { secrets }),
    ...(service.healthCheckCommand && {
      healthCheck: { command: service.healthCheckCommand, ...timing, startPeriod: service.healthCheck.startPeriodMs / 1000 },
    }),
    ...(runtime.stopTimeoutSeconds !== undefined && { stopTimeout: runtime.stopTimeoutSeconds }),
    ...(dependsOn.length > 0 && { dependsOn }),
    logConfiguration: appLogs(input, logs),
  };
  return {
    containers: [app, ...provider.sidecars, ...ownSidecars(input, logs), ...tracingContainer(env.tracing, provider.tracingUser, logs)],
    ...(provider.proxyConfiguration && { proxyConfiguration: provider.proxyConfiguration }),
  };
}
