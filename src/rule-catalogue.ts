/** Every rule meshform raises, from the core, the capability table and each provider: for documentation and tests. */
import { RULES, type Rule } from "./config/rules";
import { PROVIDERS } from "./providers";
import { capabilityRules } from "./providers/capabilities";

export function ruleCatalogue(): Rule[] {
  return [...Object.values(RULES), ...capabilityRules(), ...Object.values(PROVIDERS).flatMap((p) => p.rules)].sort((a, b) =>
    a.id.localeCompare(b.id),
  );
}
