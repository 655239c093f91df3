/** What validate() calls trafficYaml's text in messages: a bare file name, as the text is no file on disk. */
export const TRAFFIC_FILE = "dev.yaml";

/** A small environment (by default on Service Connect) for the traffic tests, with extra lines per service. */
export function trafficYaml({
  provider = "service-connect",
  api = "",
  worker = "",
  apiTimeout = "30s",
}: {
  provider?: string;
  api?: string;
  worker?: string;
  /** api's `timeout` (none when empty: VPC Lattice refuses one). */
  apiTimeout?: string;
} = {}): string {
  return [
    "environment: dev",
    "project: shop",
    "region: eu-west-1",
    "internalDomain: shop.internal",
    "network: { vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1] }",
    `mesh: { provider: ${provider} }`,
    "services:",
    "  api:",
    "    port: 3000",
    "    cpu: 1024",
    "    memory: 2048",
    ...(apiTimeout ? [`    timeout: ${apiTimeout}`] : []),
    "    backends: [worker]",
    ...(api ? [api] : []),
    "  worker:",
    "    port: 3001",
    "    cpu: 1024",
    "    memory: 2048",
    ...(worker ? [worker] : []),
    // Every service runs this tag of its repository (last, so that no line above moves).
    "imageTag: v1",
    "",
  ].join("\n");
}

export const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d";
