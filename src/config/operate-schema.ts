/**
 * The schema of how a service is operated: `scaling` (Application Auto Scaling: the range, target tracking on CPU,
 * memory and requests, schedules, cooldowns) and `alarms` (meshform's own CloudWatch alarms, on by default). The
 * environment's `dashboard` is here too. Cross-field checks (the range holds desiredCount, requests need a
 * provider that publishes them, the Fargate quota, canaries) are in checks/operate.ts.
 */
import { z } from "zod";
import { duration, durationBetween } from "./schema-primitives";

/** A percentage written `70%` (or 70), within (min, max]. */
const percentage = (what: string, min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^\d+(\.\d+)?%$/, { error: `must be a percentage such as "70%"` })])
    .transform((v) => (typeof v === "number" ? v : Number(v.slice(0, -1))))
    .refine((p) => p > min && p <= max, { error: `${what} must be above ${min}% and at most ${max}%` });

/** Whole minutes from 1m to `maxMinutes`: CloudWatch evaluates meshform's alarms over one-minute periods. */
const minutes = (maxMinutes: number) =>
  duration.refine((ms) => ms % 60_000 === 0 && ms >= 60_000 && ms <= maxMinutes * 60_000, {
    error: `must be whole minutes from 1m to ${maxMinutes}m`,
  });

const DAY_NAMES = "SUN|MON|TUE|WED|THU|FRI|SAT";
const MONTH_NAMES = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC";
const NUMERIC = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\d+(-\d+)?)(\/\d+)?)*$/;
const NAMED = (names: string) => new RegExp(`^(\\*|((${names}|\\d+)(-(${names}|\\d+))?)(,(${names}|\\d+)(-(${names}|\\d+))?)*)$`, "i");
const DAYS = new RegExp(`^(\\*|(${DAY_NAMES})(-(${DAY_NAMES}))?(,(${DAY_NAMES})(-(${DAY_NAMES}))?)*)$`, "i");

/**
 * Application Auto Scaling's cron: "The supported cron expression format consists of six fields separated by white
 * spaces: [Minutes] [Hours] [Day_of_Month] [Month] [Day_of_Week] [Year]", written `cron(...)`, and (as in EventBridge
 * cron) one of day of month and day of week is `?` (Application Auto Scaling user guide, "Schedule recurring scaling
 * actions using cron expressions"). The YAML takes the familiar five-field form; days of the week are written by
 * name, since Unix numbers Sunday 0 and AWS 1. Undefined when `text` cannot be converted, with the reason.
 */
export function awsCron(text: string): { cron: string } | { error: string } {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) return { error: 'must have five fields: minute hour day-of-month month day-of-week, e.g. "0 7 * * MON-FRI"' };
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (!NUMERIC.test(minute) || !NUMERIC.test(hour)) return { error: "minute and hour must be numbers, ranges, lists, * or steps (*/15)" };
  if (!NUMERIC.test(dom)) return { error: "day of month must be numbers, ranges, lists or *" };
  if (!NAMED(MONTH_NAMES).test(month)) return { error: "month must be numbers or names (JAN-DEC), ranges, lists or *" };
  if (!DAYS.test(dow)) {
    return {
      error: "day of week must be written by name (SUN-SAT, e.g. MON-FRI) or *: Unix numbers Sunday 0, AWS numbers it 1",
    };
  }
  if (dom !== "*" && dow !== "*") return { error: "AWS schedules on the day of the month or the day of the week, not both: set one to *" };
  const days = dow === "*" ? `${dom} ${month} ?` : `? ${month} ${dow.toUpperCase()}`;
  return { cron: `cron(${minute} ${hour} ${days} *)` };
}

export const ScheduledActionSchema = z.strictObject({
  cron: z
    .string()
    .refine((c) => "cron" in awsCron(c), { error: (issue) => `${(awsCron(String(issue.input)) as { error: string }).error}` })
    .describe(
      'When the action runs, as five-field cron: minute hour day-of-month month day-of-week, e.g. "0 7 * * MON-FRI" (days by name). In UTC unless timezone is set.',
    ),
  min: z.int().min(0).max(1000).optional().describe("The scaling minimum from that time on (it stays until another action changes it)."),
  max: z.int().min(0).max(1000).optional().describe("The scaling maximum from that time on (it stays until another action changes it)."),
  timezone: z
    .string()
    .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, { error: 'must be an IANA time zone such as "Europe/Paris"' })
    .optional()
    .describe('IANA time zone the cron is read in, e.g. "Europe/Paris". Default UTC.'),
});

/** Target tracking's default CPU and memory targets: terraform-aws-modules/ecs's (its service module scales on both at 75 % by default). */
export const DEFAULT_TARGET_PERCENT = 75;

const TARGET_HINT = "Target tracking: tasks are added or removed to keep the service's average";

export const ScalingObjectSchema = z.strictObject({
  min: z
    .int()
    .min(0)
    .max(1000)
    .optional()
    .describe("Fewest tasks; desiredCount must be at least this (it becomes the starting count). Default desiredCount."),
  max: z.int().min(1).max(1000).optional().describe("Most tasks; desiredCount must be at most this. Default twice desiredCount."),
  cpu: z
    .union([z.literal(false), percentage("cpu", 0, 100)])
    .default(DEFAULT_TARGET_PERCENT)
    .describe(`${TARGET_HINT} CPU utilization at this share, e.g. 70%; false: no CPU policy. Default 75%.`),
  memory: z
    .union([z.literal(false), percentage("memory", 0, 100)])
    .default(DEFAULT_TARGET_PERCENT)
    .describe(`${TARGET_HINT} memory utilization at this share, e.g. 80%; false: no memory policy. Default 75%.`),
  requestsPerTask: z
    .int()
    .min(1)
    .optional()
    .describe(
      `${TARGET_HINT} requests per task per minute at this number (Service Connect's RequestCount divided by the running tasks). Default none.`,
    ),
  schedule: z
    .array(ScheduledActionSchema)
    .max(50)
    .default([])
    .describe(
      'Scheduled changes of min and max, e.g. [{ cron: "0 7 * * MON-FRI", min: 4 }, { cron: "0 20 * * *", min: 2 }]. Default none.',
    ),
  cooldown: z
    .strictObject({
      scaleOut: durationBetween(0, 3_600_000, "0s and 60m")
        .prefault("1m")
        .describe("After tasks are added, how long before the policy adds more (it may still add for a larger need). Default 1m."),
      scaleIn: durationBetween(0, 3_600_000, "0s and 60m")
        .prefault("5m")
        .describe("After tasks are removed, how long before the policy removes more. Default 5m (AWS's default for ECS)."),
    })
    .prefault({})
    .describe("Cooldowns of the target tracking policies."),
});

export const ScalingSchema = z
  .union([z.literal(false), ScalingObjectSchema])
  .describe(
    "Application Auto Scaling of the service's tasks (desiredCount becomes the starting count, and Terraform stops resetting it); false: a fixed desiredCount. Default: min desiredCount, max twice it, CPU and memory at 75%.",
  );

const off = <T extends z.ZodType>(schema: T) => z.union([z.literal(false), schema]);

export const AlarmsObjectSchema = z.strictObject({
  errorRate: off(percentage("errorRate", 0, 100))
    .optional()
    .describe(
      "Alarm when 5xx answers exceed this share of the requests for 3 minutes running, e.g. 1% (from the provider's request metrics); false: none. Default 1%.",
    ),
  latencyP99: off(durationBetween(1, 3_600_000, "1ms and 60m"))
    .optional()
    .describe(
      "Alarm when the 99th percentile of the response time exceeds this for 3 minutes running, e.g. 2s (from the provider's request metrics); false: none. Default half the service's timeout.",
    ),
  tasksBelowDesired: off(minutes(1440))
    .default(300_000)
    .describe("Alarm when fewer tasks run than desired for this long (Container Insights' task counts); false: none. Default 5m."),
  saturated: off(minutes(1440))
    .default(900_000)
    .describe(
      "Alarm when average CPU or memory stays above the scaling target (or 75%) for this long: the service needs more room than scaling gives it; false: none. Default 15m.",
    ),
  unhealthyTargets: off(minutes(1440))
    .default(120_000)
    .describe("Alarm when the ingress load balancer sees an unhealthy target for this long; false: none. Default 2m."),
  rollback: z
    .boolean()
    .default(true)
    .describe(
      "Let the error-rate, latency and unhealthy-target alarms roll back blue-green, linear and canary deployments (beside rollbackAlarms). Default true.",
    ),
});

export const AlarmsSchema = z
  .union([z.literal(false), AlarmsObjectSchema])
  .describe(
    "meshform's CloudWatch alarms for the service, each notifying the environment's alarm topic; false: none. Default: all that its provider's metrics allow.",
  );

export const DashboardSchema = z
  .boolean()
  .default(true)
  .describe(
    "A CloudWatch dashboard of the environment: per service requests, errors, latency, CPU, memory, tasks; its URL is an output. Default true.",
  );
