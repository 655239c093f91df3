/** lifecycle.replace_triggered_by in the predicted changes: in general, and the ECS service a protocol change replaces. */
import { describe, expect, it } from "vitest";
import { compareStacks, type Json } from "../../src/review/diff";
import { planChanges, withPlan } from "../../src/review/plan";
import { parseTrigger } from "../../src/review/triggers";
import { TRAFFIC_FILE, trafficYaml } from "../traffic-yaml";
import { stackOf } from "./review-helpers";

/** A stack of resources given as `{ "<type>.<name>": body }`. */
function stack(rs: Record<string, Json>): Json {
  const resource: Json = {};
  for (const [address, body] of Object.entries(rs)) {
    const [type, name] = address.split(".") as [string, string];
    resource[type] = { ...resource[type], [name]: body };
  }
  return { resource };
}

/** `<action> <address>: <reasons>` for each change between two stacks, and what changed in order or lifecycle only. */
function actions(before: Record<string, Json>, after: Record<string, Json>) {
  const { changes, ordering } = compareStacks(stack(before), stack(after));
  return {
    changes: changes.map((c) => `${c.action} ${c.address}${c.replacedBy ? `: ${c.replacedBy.join("; ")}` : ""}`),
    ordering: ordering.map((o) => `${o.address} ${o.paths.join(" ")}`),
  };
}

const triggered = (...by: string[]) => ({ x: 1, lifecycle: { replace_triggered_by: by } });

describe("replace_triggered_by", () => {
  it("names a resource, or one of its attributes, bare or inside ${}", () => {
    expect(parseTrigger("terraform_data.api-immutable")).toEqual({ address: "terraform_data.api-immutable" });
    expect(parseTrigger("${aws_s3_bucket.b[0].tags.x}")).toEqual({ address: "aws_s3_bucket.b", path: "tags.x" });
    expect(parseTrigger(3)).toBeUndefined();
  });

  it("replaces a resource whose named resource is updated or replaced, with the trigger as the reason", () => {
    const before = { "t.a": triggered("t.b"), "t.b": { v: 1 } };
    expect(actions(before, { ...before, "t.b": { v: 2 } }).changes).toEqual([
      "replace t.a: replace_triggered_by t.b (v 1 → 2)",
      "update t.b",
    ]);
    // An update of the triggered resource itself becomes its replacement, its attributes kept.
    const both = compareStacks(stack(before), stack({ "t.a": { ...triggered("t.b"), x: 2 }, "t.b": { v: 2 } }));
    expect(both.changes[0]).toMatchObject({ action: "replace", attributes: [{ path: "x", kind: "changed", before: 1, after: 2 }] });
  });

  it("is not triggered by the named resource's creation or removal, nor by an attribute it does not name", () => {
    expect(actions({ "t.a": triggered() }, { "t.a": triggered("t.b"), "t.b": { v: 1 } }).changes).toEqual(["create t.b"]);
    const before = { "t.a": triggered("t.b.v"), "t.b": { v: 1, w: 1 } };
    expect(actions(before, { ...before, "t.b": { v: 1, w: 2 } }).changes).toEqual(["update t.b"]);
    expect(actions(before, { ...before, "t.b": { v: 2, w: 1 } }).changes).toEqual([
      "replace t.a: replace_triggered_by t.b.v (v 1 → 2)",
      "update t.b",
    ]);
  });

  it("follows a replacement to what it triggers in turn", () => {
    const before = { "t.a": { v: 1 }, "t.b": triggered("t.a"), "t.c": triggered("t.b") };
    expect(actions(before, { ...before, "t.a": { v: 2 } }).changes).toEqual([
      "update t.a",
      "replace t.b: replace_triggered_by t.a (v 1 → 2)",
      "replace t.c: replace_triggered_by t.b (replaced)",
    ]);
  });

  it("takes a lifecycle that changes as nothing to apply", () => {
    expect(actions({ "t.a": { x: 1 } }, { "t.a": triggered("t.b") })).toEqual({ changes: [], ordering: ["t.a lifecycle"] });
  });
});

describe("a Service Connect service's protocol change", () => {
  const before = trafficYaml({ worker: "    protocol: grpc" });
  const after = trafficYaml({ worker: "    protocol: http2" });
  const REASON = 'replace_triggered_by terraform_data.worker-immutable (input.appProtocol "grpc" → "http2")';

  it("replaces its ECS service, which the stacks alone would not change, through the terraform_data holding appProtocol", () => {
    const { changes } = compareStacks(stackOf(before, TRAFFIC_FILE), stackOf(after, TRAFFIC_FILE));
    expect(changes.filter((c) => c.type === "aws_ecs_service" || c.type === "terraform_data")).toEqual([
      {
        address: "aws_ecs_service.worker-service_17032594",
        type: "aws_ecs_service",
        name: "worker-service_17032594",
        action: "replace",
        attributes: [],
        replacedBy: [REASON],
      },
      {
        address: "terraform_data.worker-immutable",
        type: "terraform_data",
        name: "worker-immutable",
        action: "update",
        attributes: [{ path: "input.appProtocol", kind: "changed", before: "grpc", after: "http2" }],
      },
    ]);
  });

  it("keeps the trigger as the reason where a plan says only replace_by_triggers", () => {
    const { changes } = compareStacks(stackOf(before, TRAFFIC_FILE), stackOf(after, TRAFFIC_FILE));
    const plan = planChanges(
      {
        resource_changes: [
          {
            address: "aws_ecs_service.worker-service_17032594",
            type: "aws_ecs_service",
            name: "worker-service_17032594",
            action_reason: "replace_by_triggers",
            change: { actions: ["delete", "create"] },
          },
        ],
      },
      "dev",
    ).get("dev")!;
    expect(withPlan(changes, plan).find((c) => c.type === "aws_ecs_service")).toMatchObject({
      action: "replace",
      fromPlan: true,
      replacedBy: [REASON],
    });
  });
});
