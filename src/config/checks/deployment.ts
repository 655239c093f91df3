/** Deployments and ingress: settings that only make sense together, and what an ingress must not open. */

import type { Diagnostic } from "../diagnostics";
import { RULES } from "../rules";
import { arnRegion, type Check, loadBalancersOf, servicesOf, written } from "./check";

/** Each strategy's own settings, said at their line when another strategy is chosen. */
export const deploymentSettings: Check = (parts, source) => {
  const out: Diagnostic[] = [];
  for (const [name, s] of servicesOf(parts)) {
    const strategy = s.deployment?.strategy;
    if (strategy === undefined) continue;
    const at = (field: string) => ["services", name, "deployment", field];
    for (const own of ["canary", "linear"] as const) {
      if (strategy !== own && written(source, at(own))) {
        out.push(
          source.report(
            RULES.deploymentSettings,
            at(own),
            `applies only to strategy: ${own} (this deployment is ${strategy}); remove ${own} or set strategy: ${own}`,
            true,
          ),
        );
      }
    }
    if (strategy === "rolling") {
      if (written(source, at("bakeTime"))) {
        const msg =
          "applies to blue-green, linear and canary deployments, which keep the old revision running for it; a rolling deployment has none: remove bakeTime or set a strategy";
        out.push(source.report(RULES.deploymentSettings, at("bakeTime"), msg, true));
      }
      if (written(source, at("testTraffic"))) {
        const msg =
          "marks requests for the new revision while a blue-green, linear or canary deployment runs; a rolling deployment has no new revision to test apart: remove testTraffic or set a strategy";
        out.push(source.report(RULES.deploymentSettings, at("testTraffic"), msg, true));
      }
    }
    // Whether a linear or canary deployment has alarms to roll it back: checks/operate.ts (rollbackAlarms).
  }
  return out;
};

const ANYWHERE = "0.0.0.0/0";

/** A load balancer: TLS from the internet, its certificate in the stack's region, and what "anywhere" means. */
export const ingressSafety: Check = (parts, source) => {
  const out: Diagnostic[] = [];
  for (const { at: base, scheme, certificate, allowedCidrs } of loadBalancersOf(parts)) {
    const at = (field: string) => [...base, field];
    if (scheme === "internet-facing" && certificate === undefined && !written(source, at("certificate"))) {
      const msg =
        "an internet-facing load balancer must terminate TLS, so that readings never cross the internet in clear text: add certificate (an ACM certificate ARN) or use scheme: internal";
      out.push(source.report(RULES.ingressTls, at("scheme"), msg));
    }
    const certRegion = certificate === undefined ? undefined : arnRegion(certificate);
    if (certRegion !== undefined && parts.region !== undefined && certRegion !== parts.region) {
      out.push(
        source.report(
          RULES.certificateRegion,
          at("certificate"),
          `is in ${certRegion}, but a load balancer can only use an ACM certificate of its own region, ${parts.region}: request or import it there`,
        ),
      );
    }
    const anywhere = allowedCidrs?.indexOf(ANYWHERE) ?? -1;
    if (anywhere >= 0 && scheme === "internet-facing") {
      out.push(
        source.report(
          RULES.ingressOpen,
          [...base, "allowedCidrs", anywhere],
          "opens the load balancer to the whole internet; name the networks that should reach it if you can (a public website acknowledges MF305)",
        ),
      );
    }
  }
  return out;
};
