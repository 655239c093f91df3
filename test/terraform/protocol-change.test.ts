/**
 * A Service Connect service's protocol change, planned with real Terraform offline from a state that holds the
 * old one: Terraform replaces the ECS service (AWS cannot update appProtocol in place: "Updating this field
 * requires a service deletion and redeployment", ECS API reference, PortMapping) and nothing else of it.
 */
import { describe, expect, it } from "vitest";
import { resolve } from "../helpers";
import { one, synthStack } from "../stack-helpers";
import { trafficYaml } from "../traffic-yaml";
import { mirror, skipped, stateWorkdir, titled } from "./real-terraform";

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

/** What the first apply left: the worker's held protocol (http) and its ECS service. */
const state = (data: string, service: string, cluster: string) => ({
  version: 4,
  terraform_version: "1.11.4",
  serial: 1,
  lineage: "0b6f8a3e-2c4d-4e1f-9a7b-3c5d7e9f1a2b",
  outputs: {},
  resources: [
    {
      mode: "managed",
      type: "terraform_data",
      name: data,
      provider: 'provider["terraform.io/builtin/terraform"]',
      instances: [
        {
          schema_version: 0,
          attributes: {
            id: "5d6a2b1e-0f3c-4b7a-8e9d-1c2b3a4d5e6f",
            input: { value: { appProtocol: "http" }, type: ["object", { appProtocol: "string" }] },
            output: { value: { appProtocol: "http" }, type: ["object", { appProtocol: "string" }] },
            triggers_replace: null,
          },
          sensitive_attributes: [],
        },
      ],
    },
    {
      mode: "managed",
      type: "aws_ecs_service",
      name: service,
      provider: PROVIDER,
      instances: [
        {
          schema_version: 1,
          attributes: {
            id: "arn:aws:ecs:eu-west-1:123456789012:service/dev-shop/dev-shop-worker",
            name: "dev-shop-worker",
            cluster,
            tags: {},
            tags_all: {},
          },
          sensitive_attributes: [],
        },
      ],
    },
  ],
});

describe.skipIf(skipped !== undefined)(titled("a Service Connect protocol change, planned"), { timeout: 180_000 }, () => {
  it("replaces the service's ECS service when its held protocol changes, and only then", async () => {
    if ("reason" in mirror) return;
    const stack = synthStack(resolve(trafficYaml({ worker: "    protocol: tcp" })));
    const unchanged = synthStack(resolve(trafficYaml({ worker: "    protocol: http" })));
    const service = one(stack, "aws_ecs_service", (s) => s.name === "dev-shop-worker");
    const data = one(stack, "terraform_data", (d) => d.id.startsWith("worker"));
    const work = await stateWorkdir(stack, state(data.id, service.id, "arn:aws:ecs:eu-west-1:123456789012:cluster/dev-shop"), "protocol");
    // Without a refresh: no ECS API answers here, and what the state holds is what the first apply made.
    const plan = async () => {
      const messages = await work.plan("-refresh=false");
      return (addr: string) => messages.find((m) => m.type === "planned_change" && m.change.resource.addr === addr)?.change;
    };
    const changed = await plan();
    expect(changed(`terraform_data.${data.id}`)).toMatchObject({ action: "update" });
    expect(changed(`aws_ecs_service.${service.id}`)).toMatchObject({ action: "replace", reason: "replace_triggered_by" });
    // The same protocol as the state's: nothing triggers a replacement (the provider still replaces this minimal
    // state's service, whose cluster, not in the state, is known only after the apply: "cannot_update").
    work.write(unchanged);
    const same = await plan();
    expect(same(`terraform_data.${data.id}`)).toBeUndefined();
    expect(same(`aws_ecs_service.${service.id}`)).toMatchObject({ action: "replace", reason: "cannot_update" });
  });
});
