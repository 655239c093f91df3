/**
 * Every rule meshform raises, from the core, the capability table and each provider, and what `npm run review`
 * finds in a change: for documentation and tests, and so that no two share an id.
 */
import { RULES, type Rule } from "./config/rules";
import { PROVIDERS } from "./providers";
import { capabilityRules } from "./providers/capabilities";

/** How much a review finding matters, least first: `review --fail-on LEVEL` fails on that level and above. */
export const FINDING_LEVELS = ["info", "low", "medium", "high"] as const;
export type FindingLevel = (typeof FINDING_LEVELS)[number];

export interface FindingRule {
  readonly id: string;
  readonly level: FindingLevel;
  /** What the finding is about, as a heading. */
  readonly title: string;
}

const finding = (id: string, level: FindingLevel, title: string): FindingRule => ({ id, level, title });

/**
 * What the review finds in a change (MF9xx), each at a fixed level. Kept here, beside the config's rules, so
 * one catalogue keeps every id unique; the review (src/review/findings.ts) raises them. A file acknowledges
 * one as it does a warning (`acknowledge: { MF902: "why" }`, at the top or under a service); validate leaves
 * MF9xx acknowledgements to the review.
 */
export const FINDINGS = {
  stateful: finding("MF901", "high", "a stateful or shared resource is replaced or removed"),
  egressOpened: finding("MF902", "high", "egress is opened to any address"),
  retriesLowered: finding("MF903", "medium", "a retry policy allows fewer retries"),
  retriesRemoved: finding("MF904", "medium", "a retry policy is removed"),
  retriesRaised: finding("MF905", "low", "a retry policy allows more retries"),
  noPerTryTimeout: finding("MF906", "medium", "retries without a per-try timeout"),
  scaledToZero: finding("MF907", "high", "a service is scaled to zero tasks"),
  publicIp: finding("MF908", "high", "tasks get a public IP"),
  ingressWidened: finding("MF909", "medium", "a security group rule admits a wider network or other ports"),
  internetFacing: finding("MF910", "high", "a load balancer turns internet-facing"),
  iamWidened: finding("MF911", "medium", "an IAM policy allows more than before"),
  providerSwitch: finding("MF912", "high", "the environment moves to another mesh provider"),
  backendAdded: finding("MF913", "low", "a service calls a backend it did not call before"),
  deployment: finding("MF914", "info", "the change starts a blue-green, linear or canary deployment"),
  imageMissing: finding("MF915", "high", "a new service's image is in a repository the same change creates"),
  costIncrease: finding("MF916", "high", "the month's compute cost rises by more than --max-cost-increase"),
  planEmptyState: finding("MF917", "low", "the plan was made against empty state"),
  planStale: finding("MF918", "medium", "the plan is older than the base commit"),
  rootUser: finding("MF919", "high", "a container runs as root"),
  writableRoot: finding("MF920", "medium", "a container's root filesystem turns writable"),
  writablePath: finding("MF921", "low", "the app may write to a path it could not write to before"),
  plainSecret: finding("MF922", "medium", "a variable whose name looks secret is set in plain text"),
  protocolReplaced: finding("MF923", "high", "a protocol change replaces a Service Connect service"),
  newPeer: finding("MF924", "low", "a security group admits a caller or peer it did not admit before"),
} as const satisfies Record<string, FindingRule>;

export function ruleCatalogue(): (Rule | FindingRule)[] {
  return [
    ...Object.values(RULES),
    ...capabilityRules(),
    ...Object.values(PROVIDERS).flatMap((p) => p.rules),
    ...Object.values(FINDINGS),
  ].sort((a, b) => a.id.localeCompare(b.id));
}
