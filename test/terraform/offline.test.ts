import { describe, expect, it } from "vitest";
import { compareVersions } from "../../src/terraform/mirror";
import { NEWER_ATTRIBUTES, offlineStack } from "../../src/terraform/offline";
import { AWS_PROVIDER_VERSION } from "../../stacks/shared";

const stack = {
  "//": { metadata: {} },
  terraform: {
    backend: { s3: { bucket: "b", key: "k", region: "eu-west-1", use_lockfile: true } },
    required_providers: { aws: { source: "aws", version: "6.25.0" } },
  },
  provider: { aws: [{ region: "eu-west-1", default_tags: [{ tags: { A: "b" } }] }] },
  resource: { aws_ecs_service: { api: { name: "api", deployment_configuration: { strategy: "CANARY" } } } },
};

describe("the offline copy of a stack", () => {
  it("drops the backend, pins the mirror's provider and talks to a loopback STS with fake credentials", () => {
    const { stack: copy } = offlineStack(stack, "5.100.0", "http://127.0.0.1:1/");
    expect(copy.terraform).toEqual({ required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } });
    expect(copy.provider.aws[0]).toMatchObject({
      region: "eu-west-1",
      default_tags: [{ tags: { A: "b" } }],
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      endpoints: [{ sts: "http://127.0.0.1:1/" }],
    });
    expect(copy["//"]).toBeUndefined();
    expect(stack.terraform.backend.s3.bucket).toBe("b"); // the input is left as it was
  });

  it("takes out and lists attributes newer than the mirror's provider, and keeps them for a newer one", () => {
    const newer = [{ resource: "aws_ecs_service", path: "deployment_configuration.strategy", since: "6.4.0" }];
    const old = offlineStack(stack, "5.100.0", "x", newer);
    expect(old.stack.resource.aws_ecs_service.api.deployment_configuration).toEqual({});
    expect(old.unverified).toEqual(["aws_ecs_service.api.deployment_configuration.strategy (provider 6.4.0)"]);
    const recent = offlineStack(stack, "6.25.0", "x", newer);
    expect(recent.stack.resource.aws_ecs_service.api.deployment_configuration).toEqual({ strategy: "CANARY" });
    expect(recent.unverified).toEqual([]);
  });

  it("strips Service Connect's access logs for the 5.100.0 mirror, and says so; the stacks' pin has them", () => {
    const withLogs = structuredClone(stack) as typeof stack & Record<string, any>;
    (withLogs.resource.aws_ecs_service.api as Record<string, unknown>).service_connect_configuration = {
      enabled: true,
      access_log_configuration: { format: "JSON", include_query_parameters: "DISABLED" },
    };
    const old = offlineStack(withLogs, "5.100.0", "x");
    expect(old.stack.resource.aws_ecs_service.api.service_connect_configuration).toEqual({ enabled: true });
    expect(old.unverified).toContain("aws_ecs_service.api.service_connect_configuration.access_log_configuration (provider 6.34.0)");
    // Whatever the stacks emit, the provider they pin knows.
    for (const attr of NEWER_ATTRIBUTES) expect(compareVersions(attr.since, AWS_PROVIDER_VERSION), attr.path).toBeLessThanOrEqual(0);
  });
});
