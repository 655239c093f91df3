/** The App Mesh settings of an environment, resolved from its `mesh` block; only the App Mesh provider reads them. */
import type { ResolvedEnvironment, SidecarImage } from "../../config/model";
import type { EnvironmentConfig } from "../../config/schema";
import { defaultEnvoyImage } from "./facts";

export interface AppMeshOptions {
  egress: "DROP_ALL" | "ALLOW_ALL";
  ipPreference?: string;
  envoy: SidecarImage;
}

export function appMeshOptions(config: EnvironmentConfig): AppMeshOptions {
  const { mesh, region } = config;
  return {
    egress: mesh.egress,
    ...(mesh.ipPreference && { ipPreference: mesh.ipPreference }),
    envoy: { ...mesh.envoy, image: mesh.envoy.image ?? defaultEnvoyImage(region) },
  };
}

/** The options of an environment the App Mesh provider was given (resolveEnvironment put them there). */
export const optionsOf = (env: ResolvedEnvironment) => env.mesh.options as AppMeshOptions;
