/**
 * Scaling and alarms read back from a synthesized stack (cdk.tf.json), for the review: what a base stack held
 * against the change's, whatever meshform version made it. Pure functions over Terraform JSON.
 */

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON is walked by attribute name, whatever its shape
type Json = Record<string, any>;

export interface StackScaling {
  /** The ECS service's name (as the stack names it). */
  ecsService: string;
  min: number;
  max: number;
  /** Target tracking policies: what each tracks (a predefined metric type, or "requests per task") and its target. */
  policies: { name: string; tracks: string; target: number }[];
  schedule: { schedule: string; timezone?: string; min?: number; max?: number }[];
}

export interface StackAlarm {
  name: string;
  /** `namespace/metric` of every metric it reads (several for metric math). */
  metrics: string[];
  /** The expression it watches, for an alarm on metric math. */
  expression?: string;
  threshold: number;
  /** Consecutive one-minute periods before ALARM. */
  periods: number;
  /** The ECS services whose deployments it rolls back. */
  rollsBack: string[];
}

const resourcesOf = (stack: Json, type: string): [string, Json][] => Object.entries(stack.resource?.[type] ?? {});

/** The `name` of the ECS service a `${aws_ecs_service.<id>.name}` reference points at (or the text itself). */
function ecsServiceName(stack: Json, text: string): string {
  const id = /\$\{aws_ecs_service\.([^.}]+)\.name\}/.exec(text)?.[1];
  return (id && stack.resource?.aws_ecs_service?.[id]?.name) ?? text;
}

/** Each scaled ECS service's range, policies and schedule. */
export function scalingOfStack(stack: Json): StackScaling[] {
  const byTarget = (ref: string, type: string) =>
    resourcesOf(stack, type).filter(
      ([, r]) => r.resource_id === ref || r.resource_id === `\${aws_appautoscaling_target.${ref}.resource_id}`,
    );
  return resourcesOf(stack, "aws_appautoscaling_target").map(([id, t]) => {
    const ecsService = ecsServiceName(stack, String(t.resource_id).split("/").slice(2).join("/"));
    return {
      ecsService,
      min: Number(t.min_capacity),
      max: Number(t.max_capacity),
      policies: byTarget(id, "aws_appautoscaling_policy").map(([, p]) => {
        const c = p.target_tracking_scaling_policy_configuration ?? {};
        const tracks =
          c.predefined_metric_specification?.predefined_metric_type ?? (c.customized_metric_specification ? "requests per task" : "?");
        return { name: p.name, tracks, target: Number(c.target_value) };
      }),
      schedule: byTarget(id, "aws_appautoscaling_scheduled_action").map(([, a]) => ({
        schedule: a.schedule,
        ...(a.timezone && { timezone: a.timezone }),
        ...(a.scalable_target_action?.min_capacity !== undefined && { min: Number(a.scalable_target_action.min_capacity) }),
        ...(a.scalable_target_action?.max_capacity !== undefined && { max: Number(a.scalable_target_action.max_capacity) }),
      })),
    };
  });
}

/** Every CloudWatch alarm of the stack, with the ECS services it rolls back. */
export function alarmsOfStack(stack: Json): StackAlarm[] {
  const rollback = new Map<string, string[]>();
  for (const [, s] of resourcesOf(stack, "aws_ecs_service")) {
    for (const name of s.alarms?.alarm_names ?? []) rollback.set(name, [...(rollback.get(name) ?? []), s.name]);
  }
  return resourcesOf(stack, "aws_cloudwatch_metric_alarm").map(([, a]) => {
    const queries: Json[] = a.metric_query ?? [];
    const metrics = queries.length
      ? queries.filter((q) => q.metric).map((q) => `${q.metric.namespace}/${q.metric.metric_name}`)
      : [`${a.namespace}/${a.metric_name}`];
    const expression = queries.find((q) => q.return_data && q.expression)?.expression;
    return {
      name: a.alarm_name,
      metrics,
      ...(expression && { expression }),
      threshold: Number(a.threshold),
      periods: Number(a.evaluation_periods),
      rollsBack: rollback.get(a.alarm_name) ?? [],
    };
  });
}

/** The stack's CloudWatch dashboard, by name, if it has one. */
export const dashboardOfStack = (stack: Json): string | undefined => resourcesOf(stack, "aws_cloudwatch_dashboard")[0]?.[1].dashboard_name;
