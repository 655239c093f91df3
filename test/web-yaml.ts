/** A four-tier Service Connect environment behind the environment's load balancer, for the web ingress tests. */
import { CERTIFICATE } from "./traffic-yaml";

export const WEB_FILE = "web.yaml";

/** Lines of the top-level ingress, by default internet-facing HTTPS sending /api/* on one host to api and the rest to ui. */
export const WEB_INGRESS = [
  "ingress:",
  "  scheme: internet-facing",
  `  certificate: "${CERTIFICATE}"`,
  "  allowedCidrs: [198.51.100.0/24, 203.0.113.0/24]",
  "  rules:",
  "    - { host: shop.example.com, path: /api/*, to: api }",
  "    - { path: /*, to: ui }",
].join("\n");

export function webYaml({ provider = "service-connect", ingress = WEB_INGRESS, api = "", ui = "" } = {}): string {
  return [
    "environment: web",
    "project: shop",
    "region: eu-west-1",
    "internalDomain: shop.internal",
    "network:",
    "  vpcId: vpc-0123456789abcdef0",
    "  subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]",
    "  publicSubnetIds: [subnet-0123456789abcdef8, subnet-0123456789abcdef9]",
    `mesh: { provider: ${provider} }`,
    ingress,
    "services:",
    "  ui:",
    "    port: 8080",
    "    cpu: 512",
    "    memory: 1024",
    "    backends: [api]",
    ...(ui ? [ui] : []),
    "  api:",
    "    port: 3000",
    "    cpu: 1024",
    "    memory: 2048",
    "    timeout: 90s",
    "    backends: [db, cache]",
    ...(api ? [api] : []),
    "  db:",
    "    image: docker.io/library/postgres:16.4",
    "    port: 5432",
    "    protocol: tcp",
    "    cpu: 512",
    "    memory: 1024",
    '    healthCheckCommand: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -p 5432 || exit 1"]',
    "  cache:",
    "    image: docker.io/library/redis:7.4",
    "    port: 6379",
    "    protocol: tcp",
    "    cpu: 512",
    "    memory: 1024",
    '    healthCheckCommand: ["CMD-SHELL", "redis-cli ping || exit 1"]',
    "imageTag: v1",
    "",
  ].join("\n");
}
