/**
 * What the local harness and `npm run redrive` need from an environment's config: where its state lives on
 * this machine, and a caller's settings for a backend, derived exactly as meshform sets them in a task
 * (the same appEnvironment function), with the backend's URL replaced by a local one.
 */
import { join } from "node:path";
import { backendVariables, retryPolicyVariables } from "../../config/app-environment";
import type { ResolvedEnvironment } from "../../config/model";
import { appEnvironment } from "../../constructs/container-definitions";
import { PROVIDERS } from "../../providers";
import type { ProviderId } from "../../providers/provider";
import { type CallPolicy, callPolicyFromEnv, forwardHeadersFromEnv } from "../shared/call-policy";

/** Local state of the harness (git- and docker-ignored). */
export const LOCAL_STATE = ".meshform/local";
export const LOCAL_DEAD_LETTERS = join(LOCAL_STATE, "dead-letters.jsonl");
export const LOCAL_PROCESSED = join(LOCAL_STATE, "processed.log");

/**
 * How `caller` calls `backend` under `provider`: the variables meshform would set in its task, read back by
 * the same code the service runs.
 */
export function callerPolicy(
  env: ResolvedEnvironment,
  caller: string,
  backend: string,
  provider: ProviderId = env.mesh.provider,
): CallPolicy {
  const service = env.services.find((s) => s.name === caller);
  const target = service?.backends.find((b) => b.service === backend);
  if (!service || !target) throw new Error(`${env.name} has no service ${caller} calling ${backend}`);
  const vars = {
    ...appEnvironment(PROVIDERS[provider], { env, service, appImage: "", logGroupName: "", refs: {} }),
  };
  return callPolicyFromEnv(backend, vars);
}

/** The headers `caller` passes on to `backend`, as meshform tells it in its task. */
export function callerForwardHeaders(env: ResolvedEnvironment, caller: string, backend: string): string[] {
  const service = env.services.find((s) => s.name === caller);
  if (!service) throw new Error(`${env.name} has no service ${caller}`);
  const vars = appEnvironment(PROVIDERS[env.mesh.provider], { env, service, appImage: "", logGroupName: "", refs: {} });
  return forwardHeadersFromEnv(backend, vars);
}

/** A retrying policy for `backend` whatever the provider: what redrive uses, since it runs outside any mesh. */
export function redrivePolicy(env: ResolvedEnvironment, backend: string): CallPolicy {
  const target = env.services.flatMap((s) => s.backends).find((b) => b.service === backend);
  if (!target) throw new Error(`no service of ${env.name} calls ${backend}`);
  const vars = {
    [backendVariables(backend).timeout]: String(target.timeoutMs),
    ...retryPolicyVariables(target),
  };
  return callPolicyFromEnv(backend, vars);
}
