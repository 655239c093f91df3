/** Loads, checks and resolves every environment of a config directory; errors for all files at once. */
import { checkEnvironment } from "./checks";
import { taskDefinitionSizes } from "./checks/task-size";
import { byPosition, type Diagnostic, hasErrors } from "./diagnostics";
import { type ParsedFile, readConfigDir } from "./load";
import { type ResolvedEnvironment, resolveEnvironment } from "./model";

export interface Evaluated {
  environment?: ResolvedEnvironment;
  diagnostics: Diagnostic[];
}

/** Cross-checks a parsed file (its valid parts, even when the schema failed) and resolves it when it has no errors. */
export function evaluate(file: ParsedFile): Evaluated {
  const crossField = file.parts && file.source ? checkEnvironment(file.parts, file.source, file.env) : [];
  const diagnostics = [...file.diagnostics, ...crossField].sort(byPosition);
  if (!file.config || hasErrors(diagnostics)) return { diagnostics };
  const environment = resolveEnvironment(file.config);
  // What can only be measured on the resolved model (the size of what will be generated).
  const sizes = taskDefinitionSizes(environment, file.source!);
  if (sizes.length > 0) return { diagnostics: [...diagnostics, ...sizes].sort(byPosition) };
  return { environment, diagnostics };
}

export interface LoadedEnvironments {
  /** Empty whenever any file has an error: nothing is synthesized from a partly valid directory. */
  environments: ResolvedEnvironment[];
  /** Every environment the directory defines, including those `only` left out. */
  available: string[];
  diagnostics: Diagnostic[];
}

export function loadEnvironments(dir: string, only?: string): LoadedEnvironments {
  const read = readConfigDir(dir, only);
  const results = read.files.map(evaluate);
  const diagnostics = [...read.diagnostics, ...results.flatMap((r) => r.diagnostics)].sort(byPosition);
  if (hasErrors(diagnostics)) return { environments: [], available: read.available, diagnostics };
  return { environments: results.map((r) => r.environment!), available: read.available, diagnostics };
}
