/** Names: the file names the environment, and every name meshform derives fits AWS's limits. */
import { NAME_LIMITS } from "../limits";
import { environmentNames, serviceNames } from "../names";
import { DNS_LABEL, DNS_LABEL_HINT } from "../schema";
import type { Check } from "./check";

export const environmentMatchesFile: Check = (parts, source, env) => {
  if (!DNS_LABEL.test(env)) {
    const lower = env.toLowerCase();
    const rename = DNS_LABEL.test(lower) ? `rename the file to ${lower}.yaml` : "rename the file";
    return [
      source.diagnostic(
        ["environment"],
        `comes from the file name, but "${env}" is not a valid environment name (${DNS_LABEL_HINT}): ${rename}`,
      ),
    ];
  }
  return parts.environment === undefined || parts.environment === env
    ? []
    : [source.diagnostic(["environment"], `must equal the file name "${env}", got "${parts.environment}"`)];
};

export const nameLengths: Check = (parts, source) => {
  const { environment, project, internalDomain } = parts;
  if (environment === undefined || project === undefined || internalDomain === undefined) return [];
  const env = environmentNames(environment, project, internalDomain);
  const out = [];
  if (env.prefix.startsWith("sg-")) {
    out.push(
      source.diagnostic(
        ["environment"],
        `makes the security group name "${env.prefix}-mesh" start with "sg-", which AWS reserves for group ids`,
      ),
    );
  }
  if (env.namespace.length > NAME_LIMITS.dnsName) {
    out.push(
      source.diagnostic(
        ["internalDomain"],
        `makes the namespace "${env.namespace}" ${env.namespace.length} characters long; DNS allows ${NAME_LIMITS.dnsName}`,
      ),
    );
  }
  const usesQueue = Object.values(parts.services ?? {}).some((s) => s?.deadLetterQueue);
  if (usesQueue && env.deadLetterQueue.length > NAME_LIMITS.sqsQueue) {
    const msg = `makes the dead-letter queue name "${env.deadLetterQueue}" ${env.deadLetterQueue.length} characters long; SQS allows ${NAME_LIMITS.sqsQueue}: shorten the project or environment name`;
    out.push(source.diagnostic(["project"], msg));
  }
  const sc = parts.mesh?.provider === "service-connect";
  const services = Object.values(parts.services ?? {});
  const infrastructureRoles = [
    ...(sc && services.some((s) => s?.tls) ? [env.serviceConnectTlsRole] : []),
    ...(sc && services.some((s) => s?.ingress && s.deployment?.strategy !== undefined && s.deployment.strategy !== "rolling")
      ? [env.loadBalancerDeploymentRole]
      : []),
  ];
  for (const role of infrastructureRoles.filter((r) => r.length > NAME_LIMITS.iamRole)) {
    const msg = `makes the IAM role name "${role}" ${role.length} characters long; AWS allows ${NAME_LIMITS.iamRole}: shorten the project or environment name`;
    out.push(source.diagnostic(["project"], msg));
  }
  for (const name of parts.serviceNames) {
    const names = serviceNames(env, name);
    const gateway =
      parts.mesh?.provider === "appmesh" && parts.services?.[name]?.ingress ? [names.gatewayExecutionRole, names.gatewayTaskRole] : [];
    for (const role of [names.executionRole, names.taskRole, ...gateway]) {
      if (role.length > NAME_LIMITS.iamRole) {
        const msg = `makes the IAM role name "${role}" ${role.length} characters long; AWS allows ${NAME_LIMITS.iamRole}: shorten the service, project or environment name`;
        out.push(source.diagnostic(["services", name], msg, "error", true));
        break;
      }
    }
    if (parts.services?.[name]?.ingress && names.loadBalancer.startsWith("internal-")) {
      const msg = `makes the load balancer name "${names.loadBalancer}" start with "internal-", which ELB refuses: rename the environment or project`;
      out.push(source.diagnostic(["services", name, "ingress"], msg, "error", true));
    }
    if (names.virtualService.length > NAME_LIMITS.dnsName) {
      out.push(
        source.diagnostic(
          ["services", name],
          `makes the DNS name "${names.virtualService}" longer than ${NAME_LIMITS.dnsName} characters`,
          "error",
          true,
        ),
      );
    }
  }
  return out;
};
