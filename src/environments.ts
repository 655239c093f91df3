/**
 * Loads, checks and resolves every environment of a config directory, errors for all files at once: the
 * config layer (schema, checks, model) with the provider each file names, from the registry, and the
 * checks that need the resolved model (the size of the task definitions meshform will generate).
 */
import { acknowledge } from "./config/acknowledgements";
import { checkEnvironment } from "./config/checks";
import { byPosition, type Diagnostic, hasErrors } from "./config/diagnostics";
import { type ParsedFile, readConfigDir } from "./config/load";
import { type ResolvedEnvironment, resolveEnvironment } from "./config/model";
import { taskDefinitionSizes } from "./constructs/task-size";
import { providerOf } from "./providers";

export interface Evaluated {
  environment?: ResolvedEnvironment;
  diagnostics: Diagnostic[];
}

/** Cross-checks a parsed file (its valid parts, even when the schema failed) and resolves it when it has no errors. */
export function evaluate(file: ParsedFile): Evaluated {
  const id = file.parts?.mesh?.provider;
  const provider = id === undefined ? undefined : providerOf(id);
  const crossField = file.parts && file.source ? checkEnvironment(file.parts, file.source, { env: file.env, provider }) : [];
  const checked = [...file.diagnostics, ...crossField];
  const finish = (more: Diagnostic[] = []) => {
    const all = [...checked, ...more];
    return (file.parts && file.source ? acknowledge(all, file.parts, file.source) : all).sort(byPosition);
  };
  if (!file.config || !provider || hasErrors(checked)) return { diagnostics: finish() };
  const previous = file.config.mesh.movedFrom;
  const environment = resolveEnvironment(file.config, provider, previous === undefined ? undefined : providerOf(previous));
  // What can only be measured on the resolved model (the size of what will be generated).
  const sizes = taskDefinitionSizes(environment, file.source!, provider);
  if (sizes.length > 0) return { diagnostics: finish(sizes) };
  return { environment, diagnostics: finish() };
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
