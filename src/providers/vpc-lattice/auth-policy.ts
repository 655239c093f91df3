/**
 * Who may call whom, in IAM: `backends` as a permission. "For authorization to succeed, both auth policies and
 * identity-based policies need to have explicit allow statements" (VPC Lattice user guide, auth-policies.html), so
 * each call is allowed three times, by the service network's auth policy, the backend's auth policy and the
 * caller's task role, each naming exactly the callers or the backends and nothing else. A Lattice service with
 * AWS_IAM and no policy lets no one in: "If you do not add an auth policy, all traffic will get an access denied
 * error" (same page).
 *
 * Resources are a Lattice service's ARN followed by `*`: its requests (`<service ARN>/<path>` in third-party
 * examples; AWS's "Resource format for auth policies" was not read in full, so the exact form is unverified) and
 * the service itself. Service ids have a fixed length (`svc-` and 17 characters: the ResourceIdentifier pattern of
 * AWS::VpcLattice::AuthPolicy, CloudFormation template reference), so the wildcard reaches no other service.
 */
import type { Statement } from "../../constructs/policy-document";
import { INVOKE } from "./facts";

const sorted = (values: readonly string[]) => [...new Set(values)].sort();
const one = (values: string[]) => (values.length === 1 ? values[0]! : values);
const requestsTo = (serviceArns: readonly string[]) => one(sorted(serviceArns).map((arn) => `${arn}*`));

/** A Lattice service's auth policy: the task roles of the services that name it in `backends`, and no one else. */
export const serviceAuthPolicy = (serviceArn: string, callerRoleArns: readonly string[]): Statement[] => [
  {
    Sid: "CallersNamingItInBackends",
    Effect: "Allow",
    Principal: { AWS: one(sorted(callerRoleArns)) },
    Action: INVOKE,
    Resource: requestsTo([serviceArn]),
  },
];

/** The service network's: every caller, to the services of the environment only. */
export const networkAuthPolicy = (serviceArns: readonly string[], callerRoleArns: readonly string[]): Statement[] => [
  {
    Sid: "ServicesCallingTheirBackends",
    Effect: "Allow",
    Principal: { AWS: one(sorted(callerRoleArns)) },
    Action: INVOKE,
    Resource: requestsTo(serviceArns),
  },
];

/** A caller's task role: its backends' Lattice services. */
export const invokeBackends = (backendServiceArns: readonly string[]): Statement => ({
  Sid: "InvokeBackends",
  Effect: "Allow",
  Action: INVOKE,
  Resource: requestsTo(backendServiceArns),
});
