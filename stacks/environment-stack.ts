/**
 * One Terraform stack per environment, built in parts from the resolved model: what the environment shares
 * (shared.ts), each service built into a handle (service.ts) in dependency order, then the add-ons that hang
 * on the handles (add-ons/), then the outputs. What the provider adds comes through its stack part
 * (src/providers/<provider>/stack.ts), which must be loaded first (`await provider.stack.load()`).
 */
import type { Construct } from "constructs";
import { FastStack } from "../src/cdktf/fast-stack";
import type { ResolvedEnvironment } from "../src/config/model";
import { terraformLiterals } from "../src/constructs/terraform-literals";
import { providerOf } from "../src/providers";
import { ADD_ONS } from "./add-ons";
import { forgetBlocks } from "./moved-from";
import { stackOutputs } from "./outputs";
import { buildService, inDependencyOrder, type ServiceHandle } from "./service";
import { sharedParts } from "./shared";

export class EnvironmentStack extends FastStack {
  constructor(scope: Construct, config: ResolvedEnvironment) {
    super(scope, config.name);
    // The one boundary where user text meets Terraform: from here on every string the user wrote is escaped.
    const env = terraformLiterals(config);
    const shared = sharedParts(this, env, providerOf(env.mesh.provider));
    const built = new Map<string, ServiceHandle>();
    for (const s of inDependencyOrder(env.services)) built.set(s.name, buildService(this, shared, s, built));
    const services = [...built.values()];
    shared.mesh.afterServices?.(
      this,
      services.map((h) => ({ service: h.service, taskRoleArn: h.roles.taskRole.arn })),
    );
    for (const addOn of ADD_ONS) addOn(this, { shared, services });
    stackOutputs(this, shared, services);
    // Moved from another provider: forget what AWS no longer serves of the old one, rather than call its API.
    if (config.mesh.movedFrom) {
      const removed = forgetBlocks(config, providerOf(config.mesh.movedFrom.provider), (scope, old) => new EnvironmentStack(scope, old));
      if (removed.length > 0) this.addOverride("removed", removed);
    }
  }
}
