/** Names: the file names the environment, and every name meshform derives fits AWS's limits. */

import { NAME_LIMITS } from "../limits";
import { environmentNames, serviceNames } from "../names";
import { RULES } from "../rules";
import { DNS_LABEL, DNS_LABEL_HINT } from "../schema";
import type { Check } from "./check";

/** An IAM role name beyond AWS's 64 characters, and what to shorten. */
export const roleTooLong = (role: string, shorten: string) =>
  `makes the IAM role name "${role}" ${role.length} characters long; AWS allows ${NAME_LIMITS.iamRole}: shorten the ${shorten} name`;

export const environmentMatchesFile: Check = (parts, source, { env }) => {
  if (!DNS_LABEL.test(env)) {
    const lower = env.toLowerCase();
    const rename = DNS_LABEL.test(lower) ? `rename the file to ${lower}.yaml` : "rename the file";
    return [
      source.report(
        RULES.environmentName,
        ["environment"],
        `comes from the file name, but "${env}" is not a valid environment name (${DNS_LABEL_HINT}): ${rename}`,
      ),
    ];
  }
  return parts.environment === undefined || parts.environment === env
    ? []
    : [source.report(RULES.environmentName, ["environment"], `must equal the file name "${env}", got "${parts.environment}"`)];
};

export const nameLengths: Check = (parts, source, { provider }) => {
  const { environment, project, internalDomain } = parts;
  if (environment === undefined || project === undefined || internalDomain === undefined) return [];
  const env = environmentNames(environment, project, internalDomain);
  const out = [];
  if (env.prefix.startsWith("sg-")) {
    // Every service's security group is named <prefix>-<service>.
    const group = `${env.prefix}-${parts.serviceNames[0] ?? "<service>"}`;
    out.push(
      source.report(
        RULES.reservedName,
        ["environment"],
        `makes the security group name "${group}" start with "sg-", which AWS reserves for group ids`,
      ),
    );
  }
  if (env.namespace.length > NAME_LIMITS.dnsName) {
    out.push(
      source.report(
        RULES.nameLength,
        ["internalDomain"],
        `makes the namespace "${env.namespace}" ${env.namespace.length} characters long; DNS allows ${NAME_LIMITS.dnsName}`,
      ),
    );
  }
  const usesQueue = Object.values(parts.services ?? {}).some((s) => s?.deadLetterQueue);
  if (usesQueue && env.deadLetterQueue.length > NAME_LIMITS.sqsQueue) {
    const msg = `makes the dead-letter queue name "${env.deadLetterQueue}" ${env.deadLetterQueue.length} characters long; SQS allows ${NAME_LIMITS.sqsQueue}: shorten the project or environment name`;
    out.push(source.report(RULES.nameLength, ["project"], msg));
  }
  // The role ECS shifts a load balancer's traffic with, where the provider lets ECS's own deployments run.
  const shifts = Object.values(parts.services ?? {}).some(
    (s) => s?.ingress && s.deployment?.strategy !== undefined && s.deployment.strategy !== "rolling",
  );
  const role = env.loadBalancerDeploymentRole;
  if (provider?.supports("ecsDeployments") && shifts && role.length > NAME_LIMITS.iamRole) {
    out.push(source.report(RULES.nameLength, ["project"], roleTooLong(role, "project or environment")));
  }
  for (const name of parts.serviceNames) {
    const names = serviceNames(env, name);
    const long = [names.executionRole, names.taskRole].find((r) => r.length > NAME_LIMITS.iamRole);
    if (long) out.push(source.report(RULES.nameLength, ["services", name], roleTooLong(long, "service, project or environment"), true));
    if (parts.services?.[name]?.ingress && names.loadBalancer.startsWith("internal-")) {
      const msg = `makes the load balancer name "${names.loadBalancer}" start with "internal-", which ELB refuses: rename the environment or project`;
      out.push(source.report(RULES.reservedName, ["services", name, "ingress"], msg, true));
    }
    if (names.dnsName.length > NAME_LIMITS.dnsName) {
      out.push(
        source.report(
          RULES.nameLength,
          ["services", name],
          `makes the DNS name "${names.dnsName}" longer than ${NAME_LIMITS.dnsName} characters`,
          true,
        ),
      );
    }
  }
  // Names derive from each service's own words (serviceWords): two services may not meet there, nor a service meet
  // the ingress gateway another has under a provider whose way in is a gateway of its own (its ECS service, log
  // group and security group are the service's names with "-gateway").
  const taken = new Map<string, string>();
  for (const name of parts.serviceNames) {
    const base = serviceNames(env, name).ecsService;
    const first = taken.get(base);
    if (first !== undefined) {
      const msg = `makes the same AWS names as ${first} ("${base}": ECS service, roles, log group, repository), as the project's words are written once: rename one of them`;
      out.push(source.report(RULES.distinctNames, ["services", name], msg, true));
    } else taken.set(base, name);
  }
  if (provider?.supports("ingressGateway")) {
    const gateways = new Map(
      parts.serviceNames.filter((n) => parts.services?.[n]?.ingress).map((n) => [`${serviceNames(env, n).ecsService}-gateway`, n]),
    );
    for (const name of parts.serviceNames) {
      const owner = gateways.get(serviceNames(env, name).ecsService);
      if (owner !== undefined) {
        const msg = `is the name of the ingress gateway meshform runs for ${owner} (its ECS service, log group and security group): rename the service`;
        out.push(source.report(RULES.distinctNames, ["services", name], msg, true));
      }
    }
  }
  return out;
};
