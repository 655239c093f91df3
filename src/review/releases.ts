/**
 * Release awareness: what applying the change sets in motion. A new task definition under an ECS service whose
 * `deployment.strategy` (in the after-change model) is blue-green, linear or canary starts that deployment:
 * the review says which, its steps and bake times, and the longest `terraform apply` waits for it (the ECS
 * service's `timeouts.update` in the stack, else the AWS provider's 20 minutes). A new ECS service whose image
 * is in an ECR repository the same change creates cannot start: no image can be there yet.
 */
import type { Deployment, ResolvedEnvironment } from "../config/model";
import type { Json, ResourceChange } from "./diff";
import { FINDINGS, type Finding } from "./findings";
import { ownerOf } from "./owners";
import { addressOf, get, parseJson, resources } from "./stack";

/** The AWS provider's default create and update timeout of an ECS service. */
export const DEFAULT_ECS_SERVICE_TIMEOUT = "20m";

const minutes = (n: number) => `${n} min`;

/** The strategy's steps and bake times, as a reviewer reads them. */
export function describeDeployment(d: Deployment): string {
  const bake = `the old revision stays ${minutes(d.bakeTimeMinutes)} after (bake time) for an instant rollback`;
  if (d.strategy === "canary" && d.canary)
    return `a canary deployment: ${d.canary.percent}% of the traffic to the new revision for ${minutes(d.canary.bakeTimeMinutes)}, then all of it; ${bake}`;
  if (d.strategy === "linear" && d.linear) {
    const steps = Math.ceil(100 / d.linear.stepPercent);
    return `a linear deployment: ${d.linear.stepPercent}% more of the traffic every ${minutes(d.linear.stepBakeTimeMinutes)} (${steps} steps); ${bake}`;
  }
  return `a blue-green deployment: all the traffic to the new revision at once; ${bake}`;
}

/** How long `terraform apply` may wait for the service to be created or updated, from its stack resource. */
function waitText(service: Json, operation: "create" | "update", what = "it"): string {
  if (service.wait_for_steady_state === false) return `terraform apply does not wait for ${what} (waitForSteadyState: false)`;
  const timeout = service.timeouts?.[operation];
  return timeout
    ? `terraform apply waits for ${what} up to ${timeout} (the ECS service's timeouts.${operation})`
    : `terraform apply waits for ${what} up to ${DEFAULT_ECS_SERVICE_TIMEOUT} (the AWS provider's default)`;
}

/** The ECR repositories this change creates that a task definition's containers pull from, with the tags they pull. */
function newRepositoryImages(task: Json | undefined, created: ReadonlySet<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const c of (parseJson(task?.container_definitions) as Json[] | undefined) ?? []) {
    const m = typeof c.image === "string" ? /^\$\{(aws_ecr_repository\.[^.}]+)\.repository_url\}(?::(.+))?$/.exec(c.image) : null;
    if (m && created.has(m[1]!)) out.set(m[1]!, (out.get(m[1]!) ?? new Set()).add(m[2] ?? "latest"));
  }
  return out;
}

export function releaseFindings(
  before: Json | undefined,
  after: Json | undefined,
  changes: readonly ResourceChange[],
  env: ResolvedEnvironment | undefined,
): Finding[] {
  const out: Finding[] = [];
  const action = new Map(changes.map((c) => [c.address, c.action]));
  const created = new Set(changes.filter((c) => c.action === "create").map((c) => c.address));
  for (const [name, service] of resources(after, "aws_ecs_service")) {
    const address = `aws_ecs_service.${name}`;
    const owner = ownerOf(env, after, service);
    const taskAddress = addressOf(service.task_definition);
    const task = taskAddress ? get(after, taskAddress) : undefined;
    if (created.has(address)) {
      // At 0 tasks it awaits its first image by design (meshform's MF608: no imageTag yet): nothing fails.
      if (service.desired_count === 0) continue;
      for (const [repository, tags] of newRepositoryImages(task, created)) {
        const wait = service.wait_for_steady_state === false ? "" : `; ${waitText(service, "create", "them")}, then fails`;
        out.push({
          rule: FINDINGS.imageMissing,
          resource: address,
          message: `${service.name} is new and its image (tag ${[...tags].join(", ")}) is in ${get(after, repository)?.name ?? repository}, an ECR repository this change creates: no image can be there yet, so its tasks cannot start until one is pushed${wait}`,
          ...(owner && { field: ["services", owner.service.name, ...(owner.version === undefined ? [] : ["versions", owner.version])] }),
        });
      }
      continue;
    }
    // A replaced ECS service (a Service Connect protocol change) starts no deployment: a new service takes its place.
    if (action.get(address) === "replace") continue;
    const was = get(before, address);
    const replaced = taskAddress !== undefined && (action.get(taskAddress) === "replace" || action.get(taskAddress) === "create");
    if (!was || !owner || !(replaced || was.task_definition !== service.task_definition)) continue;
    const d = owner.service.deployment;
    if (d.strategy === "rolling") continue;
    const rollback = d.rollbackAlarms.length > 0 ? `rolled back when ${d.rollbackAlarms.join(" or ")} goes off` : undefined;
    const test = d.testTraffic ? `requests with ${d.testTraffic.header}: ${d.testTraffic.exact} reach the new revision first` : undefined;
    out.push({
      rule: FINDINGS.deployment,
      resource: address,
      message: [`${service.name}: a new task definition starts ${describeDeployment(d)}`, test, rollback, waitText(service, "update")]
        .filter(Boolean)
        .join("; "),
      field: ["services", owner.service.name, "deployment", "strategy"],
    });
  }
  return out;
}
