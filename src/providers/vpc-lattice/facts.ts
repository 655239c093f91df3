/**
 * Amazon VPC Lattice's facts meshform relies on, each with where it is written, and the names of what it makes.
 * Names are bounded by the provider's validators (hashicorp/terraform-provider-aws internal/service/vpclattice/*.go,
 * checked by `terraform validate` with provider 5.100.0): a longer name keeps its start and ends in a hash.
 */
import type { EnvironmentNames, ServiceNames } from "../../config/names";
import { boundedName } from "../../config/names";

/** The name callers sign their requests for (SigV4): "crt.auth.CrtSigV4Auth(…, 'vpc-lattice-svcs', …)" (VPC Lattice user guide, sigv4-authenticated-requests.html). */
export const SIGNING_SERVICE = "vpc-lattice-svcs";
/** The IAM action an auth policy allows (Service Authorization Reference, Amazon VPC Lattice Services: "Grants permission to invoke a VPC Lattice service"). */
export const INVOKE = "vpc-lattice-svcs:Invoke";

/**
 * The managed prefix list of Lattice's addresses, which the targets' security group admits, health checks
 * included: "com.amazonaws.region.vpc-lattice" (VPC Lattice user guide, security-groups.html).
 */
export const prefixListName = (region: string) => `com.amazonaws.${region}.vpc-lattice`;

/**
 * Every service's listener: HTTPS on 443. "If the listener protocol is HTTPS, VPC Lattice will provision and manage
 * a TLS certificate that is associated with the VPC Lattice generated FQDN" (user guide, listeners.html), so calls
 * are encrypted with no certificate of the user's, and reach Lattice through the HTTPS egress every task has.
 */
export const LISTENER = { protocol: "HTTPS", port: 443 } as const;

/** Rule priorities: the provider (5.100.0) validates 1-100 (`expected priority to be in the range (1 - 100)`); the API allows 1-2000 (API reference, RuleUpdate). */
export const RULE_PRIORITY = { min: 1, max: 100 } as const;

/**
 * Rules per listener: "Rules per listener | Each supported Region: 5 | Yes" (user guide, quotas.html, English copy;
 * newer translations of the page say 10). Adjustable; a warning beyond it.
 */
export const RULES_PER_LISTENER = 5;

/** "The idle connection timeout defaults to 60 seconds" (user guide, services.html): a try that sends nothing for longer is cut. */
export const IDLE_TIMEOUT_MS = 60_000;

/** "Auth policy size | Each supported Region: 10 Kilobytes | No" (user guide, quotas.html). */
export const AUTH_POLICY_MAX_BYTES = 10 * 1024;

/**
 * The ECS infrastructure role's managed policy for VPC Lattice (AWS Managed Policy Reference, v1): RegisterTargets,
 * DeregisterTargets, GetTargetGroup and ListTargets on `arn:aws:vpc-lattice:*:*:targetgroup/*`, and EC2 Describe calls.
 * Attached as AWS publishes it (AWS keeps it current with what ECS does); only ECS can assume the role.
 */
export const MANAGED_POLICY = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForVpcLattice";

/** Name lengths the provider validates: service 3-40, service network 3-63, target group 3-128, listener rule 3-63. */
const NAME_MAX = { service: 40, serviceNetwork: 63, targetGroup: 128, rule: 63 } as const;

/** What meshform makes of the environment. */
export function latticeNames(env: EnvironmentNames) {
  return {
    serviceNetwork: boundedName(env.prefix, NAME_MAX.serviceNetwork),
    /** The ECS infrastructure role that registers the tasks in their target groups. */
    infrastructureRole: `${env.prefix}-lattice`,
    /** Where the service network's access logs go. */
    accessLogGroup: `/vpc-lattice/${env.prefix}`,
  };
}

/** The Lattice service of a meshform service, and the target group of one of its versions. */
export const latticeServiceName = (names: ServiceNames) => boundedName(names.ecsService, NAME_MAX.service);
export const targetGroupName = (names: ServiceNames, version: string | undefined) =>
  boundedName(version === undefined ? names.ecsService : `${names.ecsService}-${version}`, NAME_MAX.targetGroup);
/** A listener rule, named after its route (unique within the listener, at least 3 characters). */
export const ruleName = (route: string | undefined) => boundedName(`route-${route ?? "path"}`, NAME_MAX.rule);
