/**
 * The VPC Lattice tests' own environment: web calls api and worker, api calls worker; api runs two versions behind
 * routes of every kind Lattice keeps (a header, an exact path with a method, a path prefix, a weighted catch-all).
 */
export const LATTICE_FILE = "shop.yaml";

export const LATTICE_YAML = `environment: shop
project: lattice
region: eu-west-1
internalDomain: shop.internal
network: { vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1] }
mesh: { provider: vpc-lattice }
logRetentionDays: 14
services:
  web:
    port: 8080
    cpu: 512
    memory: 1024
    logRetentionDays: 30
    backends: [api, worker]
  api:
    port: 3000
    cpu: 512
    memory: 1024
    healthCheckPath: /ready
    healthCheck: { interval: 10s, timeout: 4s, healthyThreshold: 3, unhealthyThreshold: 4 }
    backends: [worker]
    versions:
      v1: { desiredCount: 2 }
      v2: { imageTag: v2, desiredCount: 1 }
    routes:
      - { name: beta, priority: 10, match: { headers: { x-beta-user: { exact: "true" }, x-tenant: { prefix: acme- } } }, to: { v2: 100 }, timeout: 20s }
      - { name: orders, priority: 20, match: { method: POST, path: { exact: /orders } }, to: { v1: 50, v2: 50 }, timeout: 20s }
      - { name: legacy, priority: 30, match: { prefix: /legacy }, to: { v1: 100 }, timeout: 20s }
      - { name: main, priority: 40, to: { v1: 90, v2: 10 }, timeout: 20s }
  worker:
    port: 3001
    cpu: 256
    memory: 512
    protocol: http2
    route: { timeout: 30s, retryPolicy: { maxRetries: 2, perRetryTimeout: 10s, httpRetryEvents: [gateway-error] } }
imageTag: v1
`;
