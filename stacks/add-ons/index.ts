/**
 * Add-ons: what hangs on services once they are built (scaling, alarms, dashboards), one file each in this
 * folder, listed here in the order they are added to the stack. Each receives the environment's shared parts
 * and every service's handle (its task definitions, ECS services, roles, load balancer), and adds resources
 * beside them. What they add to the core's resources is limited to this: the ECS services depend on the alarms that
 * roll them back (alarms.ts), and carry what the provider sets by override (access-logs.ts).
 */
import type { TerraformStack } from "cdktf";
import type { ServiceHandle } from "../service";
import type { SharedParts } from "../shared";
import { accessLogs } from "./access-logs";
import { alarms } from "./alarms";
import { dashboard } from "./dashboard";
import { scaling } from "./scaling";

export interface AddOnContext {
  shared: SharedParts;
  /** Every service, in the order they were built (each after its backends). */
  services: readonly ServiceHandle[];
}

export type AddOn = (stack: TerraformStack, context: AddOnContext) => void;

export const ADD_ONS: readonly AddOn[] = [accessLogs, scaling, alarms, dashboard];
