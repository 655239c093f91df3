/**
 * The first apply of an environment, and of a new service (issue 15, row 3): the apply that creates a service's
 * ECR repository leaves it empty, and ECS cannot start a task whose image cannot be pulled. So a service without
 * an image tag runs no tasks: step 1 creates the repository and an ECS service at 0 (nothing to wait for), the
 * image is pushed, and step 2 (imageTag set) starts its tasks and its scaling. Each step planned with real
 * Terraform offline; what step 2 changes is read from the two stacks.
 */
import { describe, expect, it } from "vitest";
import { diffStacks } from "../../src/review/diff";
import { checkTerraform } from "../../src/terraform/check";
import { resolve, validate } from "../helpers";
import { type Json, one, resources, synthStack } from "../stack-helpers";
import { trafficYaml } from "../traffic-yaml";
import { mirror, skipped, titled, workdir } from "./real-terraform";

const STEP_2 = trafficYaml();
const STEP_1 = STEP_2.replace("imageTag: v1\n", "");
const [first, second] = [STEP_1, STEP_2].map((yaml) => synthStack(resolve(yaml)));
const service = (stack: Json, name: string) => one(stack, "aws_ecs_service", (s) => s.name === name);
const repositoryUrl = (stack: Json, name: string) =>
  `\${aws_ecr_repository.${one(stack, "aws_ecr_repository", (r) => r.name === name).id}.repository_url}`;
const appImage = (stack: Json, family: string) =>
  JSON.parse(one(stack, "aws_ecs_task_definition", (t) => t.family === family).container_definitions)[0].image;

describe("the first apply", () => {
  it("warns, at each service, that it runs no tasks until its image is pushed and its tag set", () => {
    expect(validate(STEP_1, "dev.yaml")).toEqual([
      "dev.yaml:8:3 services.api: warning: api runs no tasks until its image exists: the first apply creates dev-shop/api empty; push an image there, then set imageTag (the service's, or the environment's for every service) to its tag",
      "dev.yaml:14:3 services.worker: warning: worker runs no tasks until its image exists: the first apply creates dev-shop/worker empty; push an image there, then set imageTag (the service's, or the environment's for every service) to its tag",
    ]);
    expect(validate(STEP_2, "dev.yaml")).toEqual([]);
  });

  it("step 1 makes the repositories and ECS services at 0 tasks, with no scaling to start any", () => {
    expect(resources(first, "aws_ecr_repository").map((r) => r.name)).toEqual(["dev-shop/api", "dev-shop/worker"]);
    expect([service(first, "dev-shop-api").desired_count, service(first, "dev-shop-worker").desired_count]).toEqual([0, 0]);
    expect(resources(first, "aws_appautoscaling_target")).toEqual([]);
    // A task definition needs an image; no task runs this one.
    expect(appImage(first, "dev-shop-api")).toBe(`${repositoryUrl(first, "dev-shop/api")}:awaiting-first-image`);
  });

  it("step 2 changes the task definitions, the task counts and adds scaling, and leaves the repositories alone", () => {
    expect(appImage(second, "dev-shop-api")).toBe(`${repositoryUrl(second, "dev-shop/api")}:v1`);
    const changes = diffStacks(first, second).map((c) => `${c.action} ${c.type}`);
    expect([...new Set(changes)].sort()).toEqual([
      "create aws_appautoscaling_policy",
      "create aws_appautoscaling_target",
      "replace aws_ecs_task_definition",
      "update aws_ecs_service",
    ]);
    expect([service(second, "dev-shop-api").desired_count, service(second, "dev-shop-worker").desired_count]).toEqual([1, 1]);
  });
});

describe.skipIf(skipped !== undefined)(titled("the first apply, planned"), { timeout: 180_000 }, () => {
  it("plans each step with the real provider", async () => {
    if ("reason" in mirror) return;
    const result = await checkTerraform({ "step-1": first, "step-2": second }, { mirror, workdir: workdir("first-apply") });
    expect(result.stacks.map((s) => ({ name: s.name, problems: s.problems }))).toEqual([
      { name: "step-1", problems: [] },
      { name: "step-2", problems: [] },
    ]);
  });
});
