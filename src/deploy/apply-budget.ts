/**
 * How long applying an environment may take, and which environments CI applies. Terraform updates the ECS
 * services of a stack in parallel, except where one must follow another: under a provider whose callers start
 * after their backends (Service Connect), each caller's service after its backends'. The longest chain of such
 * updates, each waiting for its deployment (deploymentWaitMinutes), bounds the apply; the workflow's job gets
 * that, plus a margin for the rest of the stack, as its time limit. GitHub-hosted runners stop a job after 6
 * hours ("Each job in a workflow can run for up to 6 hours of execution time": GitHub docs, usage limits), so a
 * longer chain is said before anything is applied.
 */
import type { ResolvedEnvironment, ResolvedService } from "../config/model";
import { deploymentWaitMinutes } from "../constructs/deployment-wait";
import type { MeshProvider } from "../providers/provider";

/** What a stack holds beside its ECS services (roles, load balancers, the cluster), and Terraform's own start. */
export const MARGIN_MINUTES = 15;
/** GitHub-hosted runners' limit for one job. */
export const GITHUB_JOB_LIMIT_MINUTES = 360;
/** What a deployment that apply does not wait for takes: Terraform's wait for the service to be ACTIVE. */
const NO_WAIT_MINUTES = 5;

/** The longest one apply of a service waits for its deployment (its versions deploy side by side). */
export function serviceUpdateMinutes(s: ResolvedService): number {
  if (!s.deployment.waitForSteadyState) return NO_WAIT_MINUTES;
  return deploymentWaitMinutes(s.deployment, s.ingress ? "network" : undefined);
}

/** The longest chain of service updates in the environment, and the services on it, first to last. */
export function longestChain(env: ResolvedEnvironment, provider: MeshProvider): { minutes: number; services: string[] } {
  const byName = new Map(env.services.map((s) => [s.name, s]));
  const chained = provider.supports("callersAfterBackends");
  const memo = new Map<string, { minutes: number; services: string[] }>();
  const visiting = new Set<string>();
  const chainTo = (name: string): { minutes: number; services: string[] } => {
    const known = memo.get(name);
    if (known) return known;
    const s = byName.get(name)!;
    visiting.add(name);
    // A cycle is broken where it closes, as the stack orders it.
    const before = chained
      ? s.backends
          .filter((b) => !visiting.has(b.service))
          .map((b) => chainTo(b.service))
          .reduce((a, b) => (b.minutes > a.minutes ? b : a), { minutes: 0, services: [] as string[] })
      : { minutes: 0, services: [] };
    visiting.delete(name);
    const chain = { minutes: before.minutes + serviceUpdateMinutes(s), services: [...before.services, name] };
    memo.set(name, chain);
    return chain;
  };
  return env.services.map((s) => chainTo(s.name)).reduce((a, b) => (b.minutes > a.minutes ? b : a), { minutes: 0, services: [] });
}

export interface ApplyTarget {
  env: string;
  /** The job's time limit, in minutes. */
  timeout: number;
  /** The chain that sets it, for the log. */
  chain: string[];
}

/** The environments CI applies (they deploy, and keep their state remotely), each with its job's time limit. */
export function applyTargets(
  environments: readonly ResolvedEnvironment[],
  providerOf: (env: ResolvedEnvironment) => MeshProvider,
): ApplyTarget[] {
  return environments
    .filter((env) => env.state !== undefined && providerOf(env).supports("deployable"))
    .map((env) => {
      const chain = longestChain(env, providerOf(env));
      return { env: env.name, timeout: chain.minutes + MARGIN_MINUTES, chain: chain.services };
    });
}
