/**
 * A stack as the offline check runs it: pinned to the mirror's provider version, local state, fake
 * credentials and the AWS APIs a plan reads (STS, AWS Private CA, EC2's managed prefix lists) on loopback (aws-stub.ts). Attributes the mirror's provider is too old to know are
 * taken out and listed, because the check cannot verify them.
 */
import { compareVersions } from "./mirror";

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON is walked by attribute name, whatever its shape
export type Json = Record<string, any>;

/** Attributes meshform emits that need a provider newer than some mirrors hold, with the version that added them. */
export interface NewerAttribute {
  resource: string;
  /** Dotted path inside the resource, through nested blocks. */
  path: string;
  since: string;
}

/**
 * Attributes newer than 5.100.0 (the provider these machines mirror), each with the release that added it
 * (the provider's CHANGELOG, or where it says so beside the entry). ECS's linear and canary settings live inside
 * `deployment_configuration`, added later still (6.25.0 has them), so they go out with it.
 */
export const NEWER_ATTRIBUTES: NewerAttribute[] = [
  { resource: "aws_ecs_service", path: "deployment_configuration", since: "6.4.0" },
  { resource: "aws_ecs_service", path: "service_connect_configuration.service.client_alias.test_traffic_rules", since: "6.4.0" },
  { resource: "aws_ecs_service", path: "load_balancer.advanced_configuration", since: "6.4.0" },
  // hashicorp/terraform-provider-aws#45820; the release per terraform-aws-modules/ecs's provider floor (>= 6.34).
  { resource: "aws_ecs_service", path: "service_connect_configuration.access_log_configuration", since: "6.34.0" },
];

const OFFLINE_PROVIDER = {
  access_key: "AKIAMESHFORMCHECK",
  secret_key: "meshform-check-not-a-secret",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

function remove(body: Json, path: string[]): boolean {
  const [head, ...rest] = path;
  if (!head || body === null || typeof body !== "object" || !(head in body)) return false;
  if (rest.length === 0) {
    delete body[head];
    return true;
  }
  const child = body[head];
  return Array.isArray(child) ? child.map((c) => remove(c, rest)).some(Boolean) : remove(child, rest);
}

export function offlineStack(
  stack: Json,
  providerVersion: string,
  awsUrl: string,
  newer = NEWER_ATTRIBUTES,
): { stack: Json; unverified: string[] } {
  const copy: Json = structuredClone(stack);
  delete copy["//"];
  copy.terraform = { required_providers: { aws: { source: "hashicorp/aws", version: providerVersion } } };
  copy.provider.aws = copy.provider.aws.map((p: Json) => ({
    ...p,
    ...OFFLINE_PROVIDER,
    endpoints: [{ sts: awsUrl, acmpca: awsUrl, ec2: awsUrl }],
  }));
  const unverified: string[] = [];
  for (const attr of newer) {
    if (compareVersions(attr.since, providerVersion) <= 0) continue;
    for (const [name, body] of Object.entries(copy.resource?.[attr.resource] ?? {})) {
      if (remove(body as Json, attr.path.split("."))) unverified.push(`${attr.resource}.${name}.${attr.path} (provider ${attr.since})`);
    }
  }
  return { stack: copy, unverified };
}
