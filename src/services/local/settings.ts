/**
 * What the local harness and `npm run redrive` need from an environment's config: where its state lives on
 * this machine, and a caller's settings for a backend, derived exactly as meshform sets them in a task
 * (the same appEnvironment function), with the backend's URL replaced by a local one.
 */
import { join } from "node:path";
import { backendVariables, retryPolicyVariables, signingVariables } from "../../config/app-environment";
import type { ResolvedEnvironment } from "../../config/model";
import { appEnvironment } from "../../constructs/container-definitions";
import { PROVIDERS } from "../../providers";
import type { ProviderId } from "../../providers/provider";
import { type CallPolicy, callPolicyFromEnv, forwardHeadersFromEnv } from "../shared/call-policy";

/** Local state of the harness (git- and docker-ignored). */
export const LOCAL_STATE = ".meshform/local";
export const LOCAL_DEAD_LETTERS = join(LOCAL_STATE, "dead-letters.jsonl");
export const LOCAL_PROCESSED = join(LOCAL_STATE, "processed.log");
/** The processed-ids log of one version of data-processing (the service without versions: LOCAL_PROCESSED). */
export const processedLog = (version: string | undefined) =>
  version === undefined ? LOCAL_PROCESSED : join(LOCAL_STATE, `processed-${version}.log`);

/** What the harness signs with where calls are signed (VPC Lattice): a fixed local key, which its stand-in checks. */
export const LOCAL_CREDENTIALS = { accessKeyId: "AKIAMESHFORMLOCAL", secretAccessKey: "meshform-local-not-a-secret" } as const;

/** The variables meshform would set in `caller`'s task for its call to `backend` under `provider`. */
function callerVariables(env: ResolvedEnvironment, caller: string, backend: string, provider: ProviderId): Record<string, string> {
  const service = env.services.find((s) => s.name === caller);
  if (!service?.backends.some((b) => b.service === backend)) throw new Error(`${env.name} has no service ${caller} calling ${backend}`);
  return appEnvironment(PROVIDERS[provider], { env, service, appImage: "", logGroupName: "", refs: {} });
}

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
  return callPolicyFromEnv(backend, callerVariables(env, caller, backend, provider));
}

/**
 * How `caller` signs its calls to `backend` under `provider`, from the variables meshform would set in its task (the
 * service to sign for and the region), with the harness's local credentials; undefined where calls are not signed.
 */
export function localSigning(env: ResolvedEnvironment, caller: string, backend: string, provider: ProviderId = env.mesh.provider) {
  const vars = callerVariables(env, caller, backend, provider);
  const v = signingVariables(backend);
  const service = vars[v.service];
  return service ? { service, region: vars[v.region] ?? env.region, credentials: LOCAL_CREDENTIALS } : undefined;
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
