/**
 * Checks that span fields: what the schema alone cannot see. Each returns located diagnostics. The
 * provider's checks (what it cannot honour, from the capability table, then its own) come with it.
 */
import type { Diagnostic } from "../diagnostics";
import type { ValidParts } from "../parts";
import type { Source } from "../source";
import {
  awaitingImage,
  healthCheckTimeout,
  immutableTags,
  movedFields,
  movedFrom,
  publicSubnets,
  remoteState,
  tracingPorts,
} from "./apply-time";
import { backendsExist, externalBackendsExist } from "./backends";
import type { Check, CheckContext } from "./check";
import { deploymentSettings, ingressSafety } from "./deployment";
import { reservedVariables } from "./environment";
import { environmentMatchesFile, nameLengths } from "./names";
import { alarmMetrics, canaries, fargateQuota, requestScaling, rollbackAlarms, scalingRange } from "./operate";
import { protocolSettings } from "./protocols";
import { routesAndVersions } from "./routes";
import { readiness, runtimeSafety } from "./runtime";
import { fargateSizes } from "./sizes";
import { requestPath } from "./timeouts";
import { webIngressRules } from "./web-ingress";

export { MIN_APP } from "./sizes";

const CHECKS: readonly Check[] = [
  environmentMatchesFile,
  backendsExist,
  externalBackendsExist,
  fargateSizes,
  nameLengths,
  reservedVariables,
  requestPath,
  deploymentSettings,
  rollbackAlarms,
  ingressSafety,
  routesAndVersions,
  publicSubnets,
  tracingPorts,
  immutableTags,
  remoteState,
  movedFields,
  movedFrom,
  runtimeSafety,
  readiness,
  protocolSettings,
  webIngressRules,
  healthCheckTimeout,
  scalingRange,
  requestScaling,
  fargateQuota,
  canaries,
  alarmMetrics,
  awaitingImage,
];

export function checkEnvironment(parts: ValidParts, source: Source, context: CheckContext): Diagnostic[] {
  return [...CHECKS, ...(context.provider?.checks ?? [])].flatMap((check) => check(parts, source, context));
}
