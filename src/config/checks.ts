/** Checks that span fields: what the schema alone cannot see. Each returns located diagnostics. */
import type { Diagnostic } from "./diagnostics";
import { formatDuration } from "./duration";
import { describeFargateMemory, FARGATE_MEMORY_BY_CPU, NAME_LIMITS } from "./limits";
import { sidecarSize } from "./model";
import { environmentNames, serviceNames } from "./names";
import type { ValidParts } from "./parts";
import type { Source } from "./source";
import { closest } from "./suggest";

/** Smallest share of a task the app container must keep once the sidecars have theirs. */
export const MIN_APP = { cpu: 64, memory: 128 } as const;

/** A check sees only the valid parts of a file: whatever it needs and is missing, it skips. */
type Check = (parts: ValidParts, source: Source, env: string) => Diagnostic[];

const environmentMatchesFile: Check = (parts, source, env) =>
  parts.environment === undefined || parts.environment === env
    ? []
    : [source.diagnostic(["environment"], `must equal the file name "${env}", got "${parts.environment}"`)];

const backendsExist: Check = (parts, source) => {
  const known = parts.serviceNames;
  return Object.entries(parts.services).flatMap(([name, s]) =>
    s.backends.flatMap((backend, i): Diagnostic[] => {
      const path = ["services", name, "backends", i];
      if (backend === name) return [source.diagnostic(path, `a service cannot be its own backend ("${name}")`)];
      if (s.backends.indexOf(backend) !== i) return [source.diagnostic(path, `"${backend}" is listed twice`)];
      if (known.includes(backend)) return [];
      const guess = closest(backend, known);
      const hint = guess ? `did you mean "${guess}"? ` : "";
      return [source.diagnostic(path, `unknown service "${backend}"; ${hint}services in this file: ${known.join(", ")}`)];
    }),
  );
};

const fargateSizes: Check = (parts, source) => {
  const sidecars = parts.mesh && sidecarSize(parts.mesh);
  return Object.entries(parts.services).flatMap(([name, s]): Diagnostic[] => {
    if (!FARGATE_MEMORY_BY_CPU[s.cpu]?.includes(s.memory)) {
      const allowed = describeFargateMemory(s.cpu);
      return [source.diagnostic(["services", name, "memory"], `${s.memory} MiB is not a Fargate size with cpu ${s.cpu}; allowed: ${allowed}`)];
    }
    if (!parts.mesh || !sidecars) return [];
    const { envoy, xray } = parts.mesh;
    const out: Diagnostic[] = [];
    if (s.cpu - sidecars.cpu < MIN_APP.cpu) {
      const msg = `${s.cpu} CPU units leave ${s.cpu - sidecars.cpu} for the app after the Envoy (${envoy.cpu}) and X-Ray (${xray.cpu}) sidecars; the app needs at least ${MIN_APP.cpu}`;
      out.push(source.diagnostic(["services", name, "cpu"], msg));
    }
    if (s.memory - sidecars.memory < MIN_APP.memory) {
      const msg = `${s.memory} MiB leave ${s.memory - sidecars.memory} MiB for the app after the Envoy (${envoy.memory}) and X-Ray (${xray.memory}) sidecars; the app needs at least ${MIN_APP.memory}`;
      out.push(source.diagnostic(["services", name, "memory"], msg));
    }
    return out;
  });
};

const nameLengths: Check = (parts, source) => {
  const { environment, project, internalDomain } = parts;
  if (environment === undefined || project === undefined || internalDomain === undefined) return [];
  const env = environmentNames(environment, project, internalDomain);
  const out: Diagnostic[] = [];
  if (env.prefix.startsWith("sg-")) {
    out.push(source.diagnostic(["environment"], `makes the security group name "${env.prefix}-mesh" start with "sg-", which AWS reserves for group ids`));
  }
  if (env.namespace.length > NAME_LIMITS.dnsName) {
    out.push(source.diagnostic(["internalDomain"], `makes the namespace "${env.namespace}" ${env.namespace.length} characters long; DNS allows ${NAME_LIMITS.dnsName}`));
  }
  for (const name of parts.serviceNames) {
    const names = serviceNames(env, name);
    for (const role of [names.executionRole, names.taskRole]) {
      if (role.length > NAME_LIMITS.iamRole) {
        const msg = `makes the IAM role name "${role}" ${role.length} characters long; AWS allows ${NAME_LIMITS.iamRole}: shorten the service, project or environment name`;
        out.push(source.diagnostic(["services", name], msg, "error", true));
        break;
      }
    }
    if (names.virtualService.length > NAME_LIMITS.dnsName) {
      out.push(source.diagnostic(["services", name], `makes the DNS name "${names.virtualService}" longer than ${NAME_LIMITS.dnsName} characters`, "error", true));
    }
  }
  return out;
};

/** Envoy's route timeout bounds all tries together: say so when the retry policy cannot fit inside it. */
const retryBudget: Check = (parts, source) =>
  Object.entries(parts.services).flatMap(([name, s]): Diagnostic[] => {
    const policy = s.route.retryPolicy;
    if (!policy) return [];
    const needed = (policy.maxRetries + 1) * policy.perRetryTimeout;
    if (needed <= s.route.timeout) return [];
    const tries = Math.max(1, Math.floor(s.route.timeout / policy.perRetryTimeout));
    const msg =
      `${policy.maxRetries} retries of ${formatDuration(policy.perRetryTimeout)} plus the first try need up to ${formatDuration(needed)}, ` +
      `but route.timeout is ${formatDuration(s.route.timeout)}, so at most ${tries} ${tries === 1 ? "try fits" : "tries fit"}; ` +
      `raise route.timeout to ${formatDuration(needed)} or lower maxRetries`;
    return [source.diagnostic(["services", name, "route", "retryPolicy"], msg, "warning")];
  });

const CHECKS: readonly Check[] = [environmentMatchesFile, backendsExist, fargateSizes, nameLengths, retryBudget];

export function checkEnvironment(parts: ValidParts, source: Source, env: string): Diagnostic[] {
  return CHECKS.flatMap((check) => check(parts, source, env));
}
