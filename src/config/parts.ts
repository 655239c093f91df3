/**
 * The parts of an environment file that are valid on their own, field by field. Cross-field checks run on
 * these, so a file with schema errors still gets every cross-field error in the same run: a service whose
 * `cpu` is wrong still has its backends and retry policy checked.
 */
import type { z } from "zod";
import { type EnvironmentConfig, EnvironmentSchema } from "./schema";

/** A config whose maps may lack any field that did not validate; lists and scalars are whole or absent. */
export type Salvaged<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: Salvaged<T[K]> } : T;

export type ValidParts = Salvaged<EnvironmentConfig> & {
  /** Every key under `services`, valid or not: the names backends may refer to. */
  serviceNames: string[];
};

export type ServiceParts = NonNullable<NonNullable<ValidParts["services"]>[string]>;

export function partsOf(config: EnvironmentConfig): ValidParts {
  return { ...config, serviceNames: Object.keys(config.services) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

type Def = z.core.$ZodTypeDef & Record<string, unknown>;

/** The definition under optional, default, prefault and readonly wrappers. */
function unwrap(schema: z.core.$ZodType): Def {
  let def = schema._zod.def as Def;
  while ("innerType" in def) def = (def.innerType as z.core.$ZodType)._zod.def as Def;
  return def;
}

/**
 * What `schema` accepts of `value`: all of it when valid; otherwise, for a map schema, each field that is
 * valid on its own (recursively, defaults applied) and, for a record, each valid entry. Undefined when nothing is.
 */
export function salvage(schema: z.core.$ZodType, value: unknown): unknown {
  const result = (schema as z.ZodType).safeParse(value);
  if (result.success) return result.data;
  const def = unwrap(schema);
  if (!isRecord(value)) return undefined;
  const out: Record<string, unknown> = {};
  if (def.type === "object") {
    for (const [key, field] of Object.entries(def.shape as Record<string, z.core.$ZodType>)) {
      const part = salvage(field, value[key]);
      if (part !== undefined) out[key] = part;
    }
    return out;
  }
  if (def.type === "record") {
    const keys = def.keyType as z.ZodType;
    for (const [key, entry] of Object.entries(value)) {
      if (!keys.safeParse(key).success) continue;
      const part = salvage(def.valueType as z.core.$ZodType, entry);
      if (part !== undefined) out[key] = part;
    }
    return out;
  }
  return undefined;
}

/** Salvages the valid parts of a document that failed the schema as a whole. */
export function salvageParts(raw: unknown): ValidParts {
  const parts = (salvage(EnvironmentSchema, raw) ?? {}) as Salvaged<EnvironmentConfig>;
  const services = isRecord(raw) && isRecord(raw.services) ? raw.services : {};
  return { ...parts, serviceNames: Object.keys(services) };
}
