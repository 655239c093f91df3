/**
 * Amazon VPC Lattice: a service network the environment's VPC joins, a Lattice service per service that others
 * call, whose listener rules keep `routes` (weights, header, path and method matches, priorities) for as long as
 * they are written, and ECS registering each version's tasks in its target group. Lattice neither retries nor
 * times requests out, so, as under Service Connect, the caller enforces the route's policy and deadline; it also
 * signs every call (SigV4, the task role's credentials), and the auth policies let in exactly the services that
 * name a backend in `backends`. The pure half is here; the construct half (stack.ts) is loaded only to build a stack.
 */
import { retryPolicyVariables, retryVariables, signingVariables } from "../../config/app-environment";
import { formatDuration } from "../../config/duration";
import { honours, refusals } from "../capabilities";
import { Lazy } from "../lazy";
import type { MeshProvider } from "../provider";
import { calledServices } from "./called";
import { authPolicySizes, idleTimeout, LATTICE_RULES, roleName, rulePriorities } from "./checks";
import { latticeContainers, placeholderDomains } from "./containers";

const d = formatDuration;

export const vpcLattice: MeshProvider = {
  id: "vpc-lattice",
  displayName: "VPC Lattice",
  supports: (feature) => honours("vpc-lattice", feature),
  rules: Object.values(LATTICE_RULES),
  checks: [refusals("vpc-lattice"), rulePriorities, idleTimeout, authPolicySizes, roleName],
  retries: { by: "caller", who: "the caller, as VPC Lattice does not retry" },
  // Lattice is outside the task: it takes none of it.
  reservation: () => ({ what: "VPC Lattice", cpu: 0, memory: 0 }),
  options: () => ({}),
  backendVariables: retryPolicyVariables,
  backendVariableNames(backend) {
    const retries = `the retry policy of ${backend}'s route, which the caller enforces under VPC Lattice`;
    const signing = `how calls to ${backend} are signed (SigV4), which VPC Lattice requires of its callers`;
    return new Map([
      ...Object.values(retryVariables(backend)).map((name): [string, string] => [name, retries]),
      ...Object.values(signingVariables(backend)).map((name): [string, string] => [name, signing]),
    ]);
  },
  // No listener timeout to raise: Lattice times no request (the capability table refuses `timeout`).
  listenerFloor: () => ({ ms: 0, why: "" }),
  callerTimeoutNote: () => "",
  containers: latticeContainers,
  placeholderRefs: placeholderDomains,
  journey: (c) =>
    `${c.caller}'s code (deadline ${d(c.routeTimeoutMs)}${c.retried ? ", retries" : ""}, signs with SigV4) → VPC Lattice (${c.backend}'s listener rules and weights; no retries, no request timeout) → ${c.backend}`,
  madeStack: (stack) => Object.keys(stack.resource?.aws_vpclattice_service_network ?? {}).length > 0,
  forgetOnLeaving: [],
  billing: { resource: "aws_vpclattice_service", units: (env) => calledServices(env).length },
  stack: new Lazy("the VPC Lattice stack", async () => (await import("./stack.js")).latticeStack),
};
