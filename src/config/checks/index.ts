/** Checks that span fields: what the schema alone cannot see. Each returns located diagnostics. */
import type { Diagnostic } from "../diagnostics";
import type { ValidParts } from "../parts";
import type { Source } from "../source";
import { backendsExist } from "./backends";
import type { Check } from "./check";
import { reservedVariables } from "./environment";
import { environmentMatchesFile, nameLengths } from "./names";
import { appMeshQuotas } from "./quotas";
import { fargateSizes } from "./sizes";
import { requestPath } from "./timeouts";

export { MIN_APP } from "./sizes";

const CHECKS: readonly Check[] = [environmentMatchesFile, backendsExist, fargateSizes, nameLengths, reservedVariables, requestPath, appMeshQuotas];

export function checkEnvironment(parts: ValidParts, source: Source, env: string): Diagnostic[] {
  return CHECKS.flatMap((check) => check(parts, source, env));
}
