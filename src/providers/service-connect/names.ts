import type { EnvironmentNames } from "../../config/names";

/** The ECS infrastructure role that issues Service Connect's TLS certificates. */
export const tlsRoleName = (env: EnvironmentNames) => `${env.prefix}-sc-tls`;
