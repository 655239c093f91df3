/**
 * What only VPC Lattice checks: its rules' priorities and quota, its idle timeout, the size of its auth policies,
 * the name of its role. What it cannot honour at all is the capability table's (capabilities.ts).
 */
import { type Check, servicesOf } from "../../config/checks/check";
import { roleTooLong } from "../../config/checks/names";
import type { Diagnostic } from "../../config/diagnostics";
import { formatDuration } from "../../config/duration";
import { NAME_LIMITS } from "../../config/limits";
import { type EnvironmentNames, environmentNames, serviceNames } from "../../config/names";
import type { ServiceParts, ValidParts } from "../../config/parts";
import { RULES, type Rule } from "../../config/rules";
import { policyDocument } from "../../constructs/policy-document";
import { networkAuthPolicy, serviceAuthPolicy } from "./auth-policy";
import { AUTH_POLICY_MAX_BYTES, IDLE_TIMEOUT_MS, latticeNames, RULE_PRIORITY, RULES_PER_LISTENER } from "./facts";

const rule = (id: string, level: Rule["level"], title: string, source?: string): Rule => ({ id, level, title, ...(source && { source }) });

export const LATTICE_RULES = {
  priority: rule(
    "MF521",
    "error",
    "a VPC Lattice rule's priority is from 1 to 100",
    "hashicorp/aws 5.100.0, aws_vpclattice_listener_rule: `expected priority to be in the range (1 - 100)` (the API allows 1-2000: API reference, RuleUpdate)",
  ),
  rulesPerListener: rule(
    "MF522",
    "warning",
    "a service's routes fit VPC Lattice's default rules per listener",
    'VPC Lattice user guide, quotas.html: "Rules per listener | Each supported Region: 5 | Yes" (adjustable)',
  ),
  idleTimeout: rule(
    "MF523",
    "warning",
    "each try fits VPC Lattice's idle timeout",
    'VPC Lattice user guide, services.html: "The idle connection timeout defaults to 60 seconds"',
  ),
  authPolicySize: rule(
    "MF524",
    "error",
    "a VPC Lattice auth policy fits 10 KB",
    'VPC Lattice user guide, quotas.html: "Auth policy size | Each supported Region: 10 Kilobytes | No"',
  ),
} as const;

type RouteParts = NonNullable<ServiceParts["routes"]>[number];

/** A route that takes every request, as routing.ts reads it: the last of them is the listener's default action, not a rule. */
const takesAll = (r: RouteParts) =>
  r.match?.path === undefined &&
  (r.match?.prefix ?? "/") === "/" &&
  r.match?.method === undefined &&
  r.match?.headers === undefined &&
  r.match?.queryParameters === undefined;

/** The listener rules a service's routes make: each route, but a last one that takes every request. */
function rulesOf(s: ServiceParts): number {
  if (!s.routes) return s.route?.prefix !== undefined && s.route.prefix !== "/" ? 1 : 0;
  const last = [...s.routes].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0)).at(-1);
  return s.routes.length - (last && takesAll(last) ? 1 : 0);
}

/** Priorities a rule takes, as Lattice's listener rules: each route's, or the shorthand route's when it matches a path. */
export const rulePriorities: Check = (parts, source) =>
  servicesOf(parts).flatMap(([name, s]): Diagnostic[] => {
    const at = (...path: (string | number)[]) => ["services", name, ...path];
    const priorities: [number | undefined, (string | number)[]][] = s.routes
      ? s.routes.map((r, i) => [r.priority, at("routes", i, "priority")])
      : rulesOf(s) > 0
        ? [[s.route?.priority, at("route", "priority")]]
        : [];
    const out = priorities
      .filter(([p]) => p !== undefined && (p < RULE_PRIORITY.min || p > RULE_PRIORITY.max))
      .map(([p, path]) =>
        source.report(
          LATTICE_RULES.priority,
          path,
          `is ${p}; a VPC Lattice listener rule's priority is from ${RULE_PRIORITY.min} to ${RULE_PRIORITY.max} (1 first): renumber the routes within it`,
        ),
      );
    const rules = rulesOf(s);
    if (rules > RULES_PER_LISTENER)
      out.push(
        source.report(
          LATTICE_RULES.rulesPerListener,
          at("routes"),
          `make ${rules} listener rules; VPC Lattice allows ${RULES_PER_LISTENER} per listener by default (Service Quotas, VPC Lattice, "Rules per listener"): request an increase before deploying`,
          true,
        ),
      );
    return out;
  });

/** Each try of a call may take its per-try timeout (or, without retries, the route's); Lattice cuts a connection idle for 60s. */
export const idleTimeout: Check = (parts, source) =>
  servicesOf(parts).flatMap(([name, s]) => {
    const routes: [RouteParts | ServiceParts["route"], (string | number)[]][] = s.routes
      ? s.routes.map((r, i) => [r, ["services", name, "routes", i]])
      : [[s.route, ["services", name, "route"]]];
    return routes.flatMap(([r, path]): Diagnostic[] => {
      const perTry = r?.retryPolicy?.perRetryTimeout;
      const [ms, field] = perTry !== undefined ? [perTry, [...path, "retryPolicy", "perRetryTimeout"]] : [r?.timeout, [...path, "timeout"]];
      if (ms === undefined || ms <= IDLE_TIMEOUT_MS || !source.valueAt(field)) return [];
      const msg = `lets one try take ${formatDuration(ms)}; VPC Lattice closes a connection to a task idle for ${formatDuration(IDLE_TIMEOUT_MS)} (its default), so a try that waits longer for its answer fails: keep each try within ${formatDuration(IDLE_TIMEOUT_MS)}, or have the app answer sooner`;
      return [source.report(LATTICE_RULES.idleTimeout, field, msg)];
    });
  });

const ACCOUNT = "123456789012";
/** As long as a Lattice service's ARN: `svc-` and 17 characters (CloudFormation, AWS::VpcLattice::AuthPolicy, ResourceIdentifier). */
const serviceArn = (region: string, i = 0) => `arn:aws:vpc-lattice:${region}:${ACCOUNT}:service/svc-${String(i).padStart(17, "0")}`;
const roleArn = (env: EnvironmentNames, service: string) => `arn:aws:iam::${ACCOUNT}:role/${serviceNames(env, service).taskRole}`;

function callersOf(parts: ValidParts): Map<string, string[]> {
  const callers = new Map<string, string[]>();
  for (const [name, s] of servicesOf(parts)) for (const b of s.backends ?? []) callers.set(b, [...(callers.get(b) ?? []), name]);
  return callers;
}

/** The auth policies meshform writes, measured as they will be (ARNs as long as the real ones), fit AWS's 10 KB. */
export const authPolicySizes: Check = (parts, source) => {
  const { environment, project, internalDomain, region } = parts;
  if (environment === undefined || project === undefined || internalDomain === undefined || region === undefined) return [];
  const env = environmentNames(environment, project, internalDomain);
  const callers = callersOf(parts);
  const out: Diagnostic[] = [];
  const tooBig = (bytes: number, path: string[], what: string) =>
    out.push(
      source.report(
        LATTICE_RULES.authPolicySize,
        path,
        `${what} about ${bytes.toLocaleString("en-US")} bytes; VPC Lattice allows ${AUTH_POLICY_MAX_BYTES.toLocaleString("en-US")} (not adjustable): split the environment, or give fewer services the same backend`,
        true,
      ),
    );
  for (const [backend, names] of callers) {
    if (!parts.services?.[backend]) continue;
    const bytes = policyDocument(
      ...serviceAuthPolicy(
        serviceArn(region),
        names.map((c) => roleArn(env, c)),
      ),
    ).length;
    if (bytes > AUTH_POLICY_MAX_BYTES) tooBig(bytes, ["services", backend], `${names.length} callers make its auth policy`);
  }
  const all = [...new Set([...callers.values()].flat())];
  const network = networkAuthPolicy(
    [...callers.keys()].map((_, i) => serviceArn(region, i)),
    all.map((c) => roleArn(env, c)),
  );
  const bytes = policyDocument(...network).length;
  if (bytes > AUTH_POLICY_MAX_BYTES) tooBig(bytes, ["services"], "the services calling each other make the service network's auth policy");
  return out;
};

/** The infrastructure role that registers the tasks in their target groups fits AWS's 64 characters. */
export const roleName: Check = (parts, source) => {
  const { environment, project, internalDomain } = parts;
  if (environment === undefined || project === undefined || internalDomain === undefined) return [];
  const role = latticeNames(environmentNames(environment, project, internalDomain)).infrastructureRole;
  return role.length > NAME_LIMITS.iamRole
    ? [source.report(RULES.nameLength, ["project"], roleTooLong(role, "project or environment"))]
    : [];
};
