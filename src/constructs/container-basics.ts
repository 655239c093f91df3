/** Names and small shapes every container definition uses, core and providers alike. */

export const CONTAINER = { app: "app", envoy: "envoy", xray: "xray-daemon", collector: "otel-collector", ready: "app-ready" } as const;

export const sortedEnvironment = (vars: Record<string, string>): { name: string; value: string }[] =>
  Object.keys(vars)
    .sort()
    .map((name) => ({ name, value: vars[name]! }));

export const awsLogs = (group: string, region: string, prefix: string) => ({
  logDriver: "awslogs",
  options: { "awslogs-group": group, "awslogs-region": region, "awslogs-stream-prefix": prefix },
});
