/**
 * A file may acknowledge a warning it accepts, by rule id and with a reason, for the whole environment
 * (`acknowledge:` at the top) or for one service (`services.<name>.acknowledge:`), in the manner of cdk-nag's
 * suppressions. An acknowledged warning is kept, with its reason, but not printed as a warning; the review
 * shows it with the reason. Errors cannot be acknowledged, and an acknowledgement that matches nothing is
 * itself a warning, so stale ones do not pile up.
 */
import type { Diagnostic } from "./diagnostics";
import type { ValidParts } from "./parts";
import { RULES } from "./rules";
import type { Source } from "./source";

const SERVICE_PATH = /^services\.([^.[]+)/;

export function acknowledge(diagnostics: readonly Diagnostic[], parts: ValidParts, source: Source): Diagnostic[] {
  const scopes: { path: (string | number)[]; service?: string; entries: Record<string, string | undefined> }[] = [
    { path: ["acknowledge"], entries: parts.acknowledge ?? {} },
    ...Object.entries(parts.services ?? {}).map(([name, s]) => ({
      path: ["services", name, "acknowledge"],
      service: name,
      entries: s?.acknowledge ?? {},
    })),
  ];
  if (scopes.every((s) => Object.keys(s.entries).length === 0)) return [...diagnostics];
  const used = new Set<string>();
  const out = diagnostics.map((d) => {
    if (d.severity !== "warning") return d;
    const service = SERVICE_PATH.exec(d.path)?.[1];
    // The service's own acknowledgement first, then the environment's.
    const scope =
      scopes.find((s) => s.service !== undefined && s.service === service && d.rule in s.entries) ??
      (d.rule in scopes[0]!.entries ? scopes[0] : undefined);
    if (!scope) return d;
    used.add(`${scope.service ?? ""}\0${d.rule}`);
    return { ...d, acknowledged: scope.entries[d.rule]! };
  });
  for (const scope of scopes) {
    const where = scope.service === undefined ? "this file" : `services.${scope.service}`;
    for (const id of Object.keys(scope.entries)) {
      if (used.has(`${scope.service ?? ""}\0${id}`) || id.startsWith("MF9")) continue; // MF9xx: the review's findings, judged there
      const path = [...scope.path, id];
      const isError = diagnostics.some(
        (d) => d.rule === id && d.severity === "error" && (scope.service === undefined || SERVICE_PATH.exec(d.path)?.[1] === scope.service),
      );
      if (isError)
        out.push(
          source.report(
            RULES.acknowledgement,
            path,
            `${id} is an error here, and errors cannot be acknowledged: fix what it says instead`,
            true,
          ),
        );
      else
        out.push(
          source.report(
            RULES.unusedAcknowledgement,
            path,
            `nothing in ${where} raises ${id} as a warning; remove this acknowledgement`,
            true,
          ),
        );
    }
  }
  return out;
}
