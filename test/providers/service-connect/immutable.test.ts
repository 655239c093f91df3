/**
 * "appProtocol is immutable in a Service Connect service. Updating this field requires a service deletion and
 * redeployment." (ECS API reference, PortMapping: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html)
 * A protocol change therefore replaces the ECS service, through a terraform_data that holds the protocol.
 */
import { describe, expect, it } from "vitest";
import { resolve } from "../../helpers";
import { one, resources, synthStack } from "../../stack-helpers";
import { trafficYaml } from "../../traffic-yaml";

const stackWith = (provider: string, protocol: string) =>
  synthStack(resolve(trafficYaml({ provider, worker: `    protocol: ${protocol}` })));

describe("a Service Connect service's protocol", () => {
  it("is held in a terraform_data whose change replaces the service's ECS service", () => {
    const stack = stackWith("service-connect", "tcp");
    const held = resources(stack, "terraform_data").map((d) => d.input);
    expect(held).toEqual([{ appProtocol: "http" }, { appProtocol: "none (TCP)" }]);
    const worker = one(stack, "aws_ecs_service", (s) => s.name === "dev-shop-worker");
    const data = one(stack, "terraform_data", (d) => (d.input as { appProtocol: string }).appProtocol === "none (TCP)");
    expect(worker.lifecycle.replace_triggered_by).toEqual([`terraform_data.${data.id}`]);
  });

  it("changes only the held value when the protocol changes, so the plan replaces that service alone", () => {
    const [http2, grpc] = ["http2", "grpc"].map((p) => stackWith("service-connect", p));
    const input = (stack: ReturnType<typeof synthStack>) => one(stack, "terraform_data", (d) => d.id.startsWith("worker")).input;
    expect([input(http2!), input(grpc!)]).toEqual([{ appProtocol: "http2" }, { appProtocol: "grpc" }]);
  });

  it("is not held under App Mesh, whose listeners change in place", () => {
    const stack = stackWith("appmesh", "tcp");
    expect(resources(stack, "terraform_data")).toEqual([]);
    expect(one(stack, "aws_ecs_service", (s) => s.name === "dev-shop-worker").lifecycle?.replace_triggered_by).toBeUndefined();
  });
});
