/**
 * The environment's CloudWatch dashboard (`dashboard: true`, the default): per service its requests and 5xx, error
 * rate and p50/p99 latency (where the provider publishes request metrics), CPU and memory, running tasks and its
 * load balancer's unhealthy targets; then the dead letters waiting. Its console URL is the output `dashboard_url`
 * (dashboardUrl in src/config/operate-model.ts, which `explain` can print). The body follows CloudWatch's "Dashboard
 * Body Structure and Syntax" (CloudWatch API reference): a `widgets` array of `metric` widgets on a 24-column grid,
 * each metric `[namespace, name, dimension, value, ..., { options }]` and each expression `[{ expression, label, id }]`.
 */
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { TerraformOutput, type TerraformStack } from "cdktf";
import {
  ecsRunningTasks,
  ecsUtilization,
  MAX_ALARM_METRICS,
  type MetricRef,
  nlbUnhealthyHosts,
  sqsVisibleMessages,
} from "../../src/config/metrics";
import { dashboardName, dashboardUrl } from "../../src/config/operate-model";
import type { AddOnContext } from ".";
import { metricTarget } from "./alarms";

type Line = unknown[];
interface Graph {
  title: string;
  lines: Line[];
}

/** One metric as a dashboard line, with its statistic and label (and an id to refer to it, hidden when only an expression uses it). */
const line = (m: MetricRef, label: string, more: Record<string, unknown> = {}): Line => [
  m.namespace,
  m.metricName,
  ...Object.entries(m.dimensions).flat(),
  { stat: m.stat, label, ...more },
];
const expression = (expr: string, label: string, id: string): Line => [{ expression: expr, label, id }];

const WIDTH = 6;
const HEIGHT = 6;
const COLUMNS = 24;

/** The graphs of one service. */
function serviceGraphs(context: AddOnContext, h: AddOnContext["services"][number]): Graph[] {
  const { env, provider } = context.shared;
  const s = h.service;
  const clusterName = env.names.prefix;
  const graphs: Graph[] = [];
  const metrics = provider.metrics;
  const target = metricTarget(context, h);
  if (metrics) {
    const errors = metrics.measuresResponses(target) ? metrics.serverErrors(target, MAX_ALARM_METRICS - 1) : [];
    const requests = line(metrics.requests(target), "requests", { id: "requests" });
    const errorLines = errors.map((e, i) => line(e, `5xx from ${target.callers[i] ?? "all callers"}`, { id: `e${i}` }));
    graphs.push({ title: `${s.name}: ${errors.length > 0 ? "requests and 5xx" : "requests"} a minute`, lines: [requests, ...errorLines] });
    if (errors.length > 0) {
      const sum = errors.map((_, i) => `FILL(e${i}, 0)`).join(" + ");
      graphs.push({
        title: `${s.name}: error rate (%)`,
        lines: [
          line(metrics.requests(target), "requests", { id: "requests", visible: false }),
          ...errors.map((e, i) => line(e, `5xx ${i}`, { id: `e${i}`, visible: false })),
          expression(`100 * (${sum}) / requests`, "5xx, % of requests", "rate"),
        ],
      });
      const latency = (stat: string) =>
        metrics.responseTimes(target, stat, MAX_ALARM_METRICS).map((m, i) => line(m, `${stat} from ${target.callers[i] ?? "all callers"}`));
      graphs.push({ title: `${s.name}: response time (ms)`, lines: [...latency("p50"), ...latency("p99")] });
    }
  }
  const perVersion = (f: (ecsName: string, label: string) => Line[]) =>
    h.versions.flatMap(({ version }) => f(version.names.ecsService, version.name === undefined ? "" : ` (${version.name})`));
  graphs.push({
    title: `${s.name}: CPU and memory (%)`,
    lines: perVersion((n, v) => [
      line(ecsUtilization("CPUUtilization", clusterName, n), `CPU${v}`),
      line(ecsUtilization("MemoryUtilization", clusterName, n), `memory${v}`),
    ]),
  });
  graphs.push({ title: `${s.name}: running tasks`, lines: perVersion((n, v) => [line(ecsRunningTasks(clusterName, n), `tasks${v}`)]) });
  if (h.ingress) {
    const lb = h.ingress.loadBalancer.arnSuffix;
    const groups = [h.ingress.targetGroup, ...(h.ingress.alternateTargetGroup ? [h.ingress.alternateTargetGroup] : [])];
    graphs.push({
      title: `${s.name}: unhealthy load balancer targets`,
      lines: groups.map((g, i) => line(nlbUnhealthyHosts(lb, g.arnSuffix), i === 0 ? "unhealthy" : "unhealthy (alternate target group)")),
    });
  }
  return graphs;
}

/** The dashboard's body: a title row per service, its graphs four to a row, then the dead letters. */
export function dashboardBody(context: AddOnContext): string {
  const { env, deadLetters } = context.shared;
  const widgets: Record<string, unknown>[] = [];
  let y = 0;
  const row = (title: string, graphs: Graph[]) => {
    widgets.push({ type: "text", x: 0, y, width: COLUMNS, height: 1, properties: { markdown: `## ${title}` } });
    y += 1;
    graphs.forEach((g, i) => {
      const perRow = COLUMNS / WIDTH;
      widgets.push({
        type: "metric",
        x: (i % perRow) * WIDTH,
        y: y + Math.floor(i / perRow) * HEIGHT,
        width: WIDTH,
        height: HEIGHT,
        properties: { title: g.title, region: env.region, view: "timeSeries", period: 60, metrics: g.lines },
      });
    });
    y += Math.ceil(graphs.length / (COLUMNS / WIDTH)) * HEIGHT;
  };
  for (const h of context.services) row(h.service.name, serviceGraphs(context, h));
  if (deadLetters) {
    row("dead letters", [
      { title: "dead letters waiting", lines: [line(sqsVisibleMessages(env.names.deadLetterQueue), "messages visible")] },
    ]);
  }
  return JSON.stringify({ widgets });
}

export function dashboard(stack: TerraformStack, context: AddOnContext): void {
  const { env } = context.shared;
  if (!env.dashboard) return;
  new CloudwatchDashboard(stack, "dashboard", { dashboardName: dashboardName(env), dashboardBody: dashboardBody(context) });
  new TerraformOutput(stack, "dashboard_url", { value: dashboardUrl(env), description: "The environment's CloudWatch dashboard" });
}
