/**
 * Checks that span fields: what the schema alone cannot see. Each returns located diagnostics. The
 * provider's own checks (what it cannot honour, its quotas) come from its rules, through the seam.
 */
import { PROVIDER_RULES } from "../../providers/rules";
import type { Diagnostic } from "../diagnostics";
import type { ValidParts } from "../parts";
import type { Source } from "../source";
import { backendsExist, externalBackendsExist } from "./backends";
import type { Check } from "./check";
import { deploymentSettings, ingressSafety } from "./deployment";
import { reservedVariables } from "./environment";
import { environmentMatchesFile, nameLengths } from "./names";
import { routesAndVersions } from "./routes";
import { fargateSizes } from "./sizes";
import { requestPath } from "./timeouts";

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
  ingressSafety,
  routesAndVersions,
];

export function checkEnvironment(parts: ValidParts, source: Source, env: string): Diagnostic[] {
  const provider = parts.mesh?.provider ? PROVIDER_RULES[parts.mesh.provider].checks : [];
  return [...CHECKS, ...provider].flatMap((check) => check(parts, source, env));
}
