/** Resource changes between two stacks, and Terraform's own plan read from `terraform show -json`. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffStacks, type Json } from "../../src/review/diff";
import { planChanges, plannedFromNothing, planTime, withPlan } from "../../src/review/plan";

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/plans/${name}`, "utf8")) as Json;

describe("diffStacks", () => {
  const task = (image: string) => ({
    family: "f",
    container_definitions: JSON.stringify([{ name: "app", image, environment: [{ name: "A", value: "1" }] }]),
  });
  const before = {
    resource: {
      aws_ecs_task_definition: { t: task("app:v1") },
      aws_ecr_repository: { r: { name: "a" } },
      aws_sqs_queue: { q: { name: "q" } },
    },
  };
  const after = {
    resource: { aws_ecs_task_definition: { t: task("app:v2") }, aws_ecr_repository: { r: { name: "b" } }, aws_lb: { l: { name: "l" } } },
  };

  it("lists additions, removals and changes, diffing JSON strings as parsed JSON", () => {
    const changes = diffStacks(before, after);
    expect(changes.map((c) => [c.address, c.action])).toEqual([
      ["aws_ecr_repository.r", "replace"],
      ["aws_ecs_task_definition.t", "replace"],
      ["aws_lb.l", "create"],
      ["aws_sqs_queue.q", "delete"],
    ]);
    expect(changes[1]!.attributes).toEqual([
      { path: "container_definitions[name=app].image", kind: "changed", before: "app:v1", after: "app:v2" },
    ]);
    expect(changes[0]).toMatchObject({ replacedBy: ["name"], attributes: [{ path: "name", kind: "changed", before: "a", after: "b" }] });
  });

  it("finds nothing between equal stacks, cdktf's metadata aside", () => {
    expect(
      diffStacks(
        { resource: { aws_lb: { l: { name: "l", "//": { a: 1 } } } } },
        { resource: { aws_lb: { l: { name: "l", "//": { a: 2 } } } } },
      ),
    ).toEqual([]);
  });
});

describe("plans from the real AWS provider", () => {
  it("reads replacements with the paths that force them, and in-place updates", () => {
    const planned = planChanges(fixture("replace-and-update.plan.json"), "dev").get("dev")!;
    expect(planned.map((c) => [c.address, c.action, c.replacedBy])).toEqual([
      ["aws_cloudwatch_log_group.data-processing-logs_group_1", "update", undefined],
      ["aws_ecr_repository.data-processing-ecr_repository_1", "replace", ["name"]],
      ["aws_sqs_queue.dead-letters_queue_1", "replace", ["name", "fifo_queue"]],
    ]);
  });

  it("assigns module addresses to their stacks, as check:terraform plans them", () => {
    const planned = planChanges(fixture("check-create.plan.json"));
    expect([...planned.keys()]).toEqual(["dev", "staging"]);
    expect(planned.get("staging")!.map((c) => [c.address, c.action])).toEqual([
      ["aws_ecr_repository.data-ingestion-ecr_repository_B789E91C", "create"],
      ["aws_ecs_service.data-ingestion-service_EC8BA361", "create"],
    ]);
  });

  it("overrides the predicted action with Terraform's, keeping the attribute diff", () => {
    const diffed = diffStacks(
      { resource: { aws_sqs_queue: { "dead-letters_queue_1": { name: "dev-app-dead-letters", visibility_timeout_seconds: 30 } } } },
      { resource: { aws_sqs_queue: { "dead-letters_queue_1": { name: "dev-app-dead-letters", visibility_timeout_seconds: 60 } } } },
    );
    expect(diffed[0]!.action).toBe("update");
    const merged = withPlan(diffed, planChanges(fixture("replace-and-update.plan.json"), "dev").get("dev")!);
    expect(merged.find((c) => c.type === "aws_sqs_queue")).toMatchObject({
      action: "replace",
      fromPlan: true,
      replacedBy: ["name", "fifo_queue"],
      attributes: [{ path: "visibility_timeout_seconds" }],
    });
    expect(merged.map((c) => c.address)).toContain("aws_cloudwatch_log_group.data-processing-logs_group_1");
  });
});

describe("plans made against empty state, and when a plan was made", () => {
  const create = (address: string) => ({
    address,
    type: address.split(".")[0]!,
    name: address.split(".")[1]!,
    action: "create" as const,
    attributes: [],
  });
  const base = { resource: { aws_ecr_repository: { r: { name: "a" } } } };

  it("knows a plan whose every change creates what the base already has", () => {
    expect(plannedFromNothing([create("aws_ecr_repository.r"), create("aws_lb.l")], base)).toEqual(["aws_ecr_repository.r"]);
    // New resources only: a real plan of a new service.
    expect(plannedFromNothing([create("aws_lb.l")], base)).toBeUndefined();
    // Anything but creates: planned against real state.
    expect(plannedFromNothing([create("aws_ecr_repository.r"), { ...create("aws_lb.l"), action: "update" }], base)).toBeUndefined();
    expect(plannedFromNothing([], base)).toBeUndefined();
  });

  it("reads the plan's timestamp, when it has one", () => {
    expect(planTime({ timestamp: "2026-11-20T10:00:00Z" })?.toISOString()).toBe("2026-11-20T10:00:00.000Z");
    expect(planTime(fixture("check-create.plan.json"))).toBeUndefined();
    expect(planTime({ timestamp: "yesterday" })).toBeUndefined();
  });
});
