/**
 * The tracing collector beside every app: the AWS Distro for OpenTelemetry collector (default) or the X-Ray
 * daemon, taking the app's and the proxy's traces to AWS X-Ray. Both listen for X-Ray's UDP protocol on
 * 127.0.0.1:2000 (AWS_XRAY_DAEMON_ADDRESS); the collector also for OTLP on 4317 (gRPC) and 4318 (HTTP).
 */
import { TRACING_PORTS } from "../config/limits";
import type { Tracing } from "../config/model";
import type { ContainerDefinition } from "../providers/provider";
import { type awsLogs, CONTAINER } from "./container-basics";

/**
 * The ADOT collector's configuration, passed in AOT_CONFIG_CONTENT (aws-otel-collector reads its configuration
 * from that variable; AWS's ADOT documentation and test framework pass it so). Traces only: X-Ray's UDP protocol
 * (the awsxray receiver) and OTLP, batched, to X-Ray (the awsxray exporter); the health_check extension answers
 * the container health check (/healthcheck in the image). Nothing is exported to CloudWatch metrics, so the task
 * role needs only X-Ray's write actions. Every receiver listens on 127.0.0.1: only the task's own containers send.
 */
export const ADOT_CONFIG = [
  "extensions:",
  "  health_check:",
  `    endpoint: 127.0.0.1:${TRACING_PORTS.health}`,
  "receivers:",
  "  awsxray:",
  `    endpoint: 127.0.0.1:${TRACING_PORTS.xray}`,
  "    transport: udp",
  "    proxy_server:",
  `      endpoint: 127.0.0.1:${TRACING_PORTS.xray}`,
  "  otlp:",
  "    protocols:",
  "      grpc:",
  `        endpoint: 127.0.0.1:${TRACING_PORTS.otlpGrpc}`,
  "      http:",
  `        endpoint: 127.0.0.1:${TRACING_PORTS.otlpHttp}`,
  "processors:",
  "  batch/traces:",
  "    timeout: 1s",
  "    send_batch_size: 50",
  "exporters:",
  "  awsxray: {}",
  "service:",
  "  extensions: [health_check]",
  "  pipelines:",
  "    traces:",
  "      receivers: [awsxray, otlp]",
  "      processors: [batch/traces]",
  "      exporters: [awsxray]",
  "",
].join("\n");

/** The tracing container of a task, run as `user`; none when tracing is off. */
export function tracingContainer(
  tracing: Tracing,
  user: string,
  logs: (prefix: string) => ReturnType<typeof awsLogs>,
): ContainerDefinition[] {
  if (tracing.collector === "none") return [];
  const common = {
    image: tracing.image,
    essential: false,
    cpu: tracing.cpu,
    memoryReservation: tracing.memory,
    user,
    readonlyRootFilesystem: true,
  };
  if (tracing.collector === "xray-daemon") {
    return [
      {
        name: CONTAINER.xray,
        ...common,
        portMappings: [{ containerPort: TRACING_PORTS.xray, protocol: "udp" }],
        logConfiguration: logs(CONTAINER.xray),
      },
    ];
  }
  return [
    {
      name: CONTAINER.collector,
      ...common,
      environment: [{ name: "AOT_CONFIG_CONTENT", value: ADOT_CONFIG }],
      healthCheck: { command: ["CMD", "/healthcheck"], interval: 10, timeout: 5, retries: 3, startPeriod: 10 },
      logConfiguration: logs(CONTAINER.collector),
    },
  ];
}
