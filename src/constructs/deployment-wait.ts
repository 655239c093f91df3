/**
 * How long `terraform apply` may wait for an ECS deployment, with the arithmetic in one place. The AWS
 * provider's aws_ecs_service waits (with wait_for_steady_state) until the deployment succeeds, fails or rolls
 * back, up to its create/update timeout, 20 minutes by default (hashicorp/terraform-provider-aws,
 * internal/service/ecs/service.go: `Create: schema.DefaultTimeout(20 * time.Minute)`, `Update` likewise).
 * A deployment that bakes, or that shifts a Network Load Balancer's traffic, takes longer than that:
 *
 *   - baking: blue-green bakes once (bakeTime); canary runs its share for canary.bakeTime, then bakes;
 *     linear waits stepBakeTime between steps ("not applied after reaching 100 percent": ECS API reference,
 *     LinearConfiguration), then bakes;
 *   - a Network Load Balancer: "Amazon ECS adds a 10 minute delay to the following lifecycle stages:
 *     TEST_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT" (ECS guide, nlb-resources-for-blue-green.html; an earlier
 *     version of the page listed PRE_SCALE_UP too, which is counted here as well, since a wait that is too short
 *     fails every release while one too long only matters when a deployment hangs). The production shift
 *     happens once for blue-green, twice for canary (the canary share, then the rest) and once per step for
 *     linear (a PRODUCTION_TRAFFIC_SHIFT hook "will be invoked at each production traffic shift step").
 */
import type { Deployment } from "../config/model";

/** What Terraform allows for the tasks to start, become healthy and replace the old ones (the provider's default). */
export const TASK_START_MINUTES = 20;
/** ECS's delay at each of these lifecycle stages of a deployment behind a Network Load Balancer. */
export const NLB_STAGE_DELAY_MINUTES = 10;

/** The production traffic shifts of a deployment: 1 for blue-green, 2 for canary, one per step for linear. */
export function productionShifts(d: Deployment): number {
  if (d.canary) return 2;
  if (d.linear) return Math.ceil(100 / d.linear.stepPercent);
  return 1;
}

/** Minutes a deployment spends baking beyond the tasks' start. */
export function bakeMinutes(d: Deployment): number {
  if (d.strategy === "rolling") return 0;
  if (d.canary) return d.bakeTimeMinutes + d.canary.bakeTimeMinutes;
  if (d.linear) return d.bakeTimeMinutes + d.linear.stepBakeTimeMinutes * (productionShifts(d) - 1);
  return d.bakeTimeMinutes;
}

/** Minutes a Network Load Balancer adds: PRE_SCALE_UP and TEST_TRAFFIC_SHIFT once, PRODUCTION_TRAFFIC_SHIFT per shift. */
export function loadBalancerDelayMinutes(d: Deployment, loadBalancer: "network" | undefined): number {
  if (d.strategy === "rolling" || loadBalancer !== "network") return 0;
  return NLB_STAGE_DELAY_MINUTES * (2 + productionShifts(d));
}

/** The longest `terraform apply` waits for one deployment of a service: the provider's timeouts to set. */
export function deploymentWaitMinutes(d: Deployment, loadBalancer: "network" | undefined): number {
  return TASK_START_MINUTES + bakeMinutes(d) + loadBalancerDelayMinutes(d, loadBalancer);
}
