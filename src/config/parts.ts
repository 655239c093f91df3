/**
 * The parts of an environment file that are valid on their own. Cross-field checks run on these, so a file
 * with schema errors still gets its cross-field errors in the same run (all errors at once).
 */
import type { z } from "zod";
import { type EnvironmentConfig, EnvironmentSchema, type ServiceConfig, ServiceSchema } from "./schema";

export interface ValidParts {
  environment?: string;
  project?: string;
  internalDomain?: string;
  mesh?: EnvironmentConfig["mesh"];
  /** Every key under `services`, valid or not: the names backends may refer to. */
  serviceNames: string[];
  /** The services whose own block is valid. */
  services: Record<string, ServiceConfig>;
}

export function partsOf(config: EnvironmentConfig): ValidParts {
  const { environment, project, internalDomain, mesh, services } = config;
  return { environment, project, internalDomain, mesh, serviceNames: Object.keys(services), services };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function valid<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** Salvages the valid parts of a document that failed the schema as a whole. */
export function salvageParts(raw: unknown): ValidParts {
  const doc = isRecord(raw) ? raw : {};
  const rawServices = isRecord(doc.services) ? doc.services : {};
  const services: Record<string, ServiceConfig> = {};
  for (const [name, block] of Object.entries(rawServices)) {
    const service = valid(ServiceSchema, block);
    if (service) services[name] = service;
  }
  const { shape } = EnvironmentSchema;
  return {
    environment: valid(shape.environment, doc.environment),
    project: valid(shape.project, doc.project),
    internalDomain: valid(shape.internalDomain, doc.internalDomain),
    mesh: valid(shape.mesh, doc.mesh),
    serviceNames: Object.keys(rawServices),
    services,
  };
}
