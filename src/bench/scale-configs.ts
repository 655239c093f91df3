/**
 * The configs `npm run bench` measures at organisation scale: `environments` files of `services` services,
 * each service calling the next with a retry policy: 18 resources per service under App Mesh (the measure
 * was 16; each service now has its own security group, and a rule each way per call), without scaling, meshform's
 * alarms and the dashboard, which add 6 resources per service and 2 per environment by default, so that the
 * numbers stay comparable with the README's. Written as YAML, as users write them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function writeScaleConfigs(dir: string, environments: number, services: number): string[] {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (let e = 0; e < environments; e++) {
    const env = `env${e}`;
    const lines = [
      `environment: ${env}`,
      "project: scale",
      "region: eu-west-1",
      "internalDomain: scale.internal",
      "network: { vpcId: vpc-0a1b2c3d4e5f60718, subnetIds: [subnet-0a1b2c3d4e5f60701, subnet-0a1b2c3d4e5f60702] }",
      "mesh: { provider: appmesh }",
      "dashboard: false",
      "imageTag: v1",
      "services:",
    ];
    for (let s = 0; s < services; s++) {
      lines.push(
        `  svc-${s}:`,
        `    port: ${3000 + s}`,
        "    cpu: 512",
        "    memory: 1024",
        "    timeout: 70s",
        `    backends: [svc-${(s + 1) % services}]`,
        "    route: { timeout: 65s, retryPolicy: { maxRetries: 12, perRetryTimeout: 5s, httpRetryEvents: [gateway-error] } }",
        "    scaling: false",
        "    alarms: false",
      );
    }
    writeFileSync(join(dir, `${env}.yaml`), `${lines.join("\n")}\n`);
    names.push(env);
  }
  return names;
}
