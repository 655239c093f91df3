/** The environment's load balancer: each rule sends to an HTTP service of this file, each host and path once. */
import type { Diagnostic } from "../diagnostics";
import { RULES } from "../rules";
import { closest } from "../suggest";
import type { Check } from "./check";

export const webIngressRules: Check = (parts, source) => {
  const rules = parts.ingress?.rules;
  if (!rules) return [];
  const out: Diagnostic[] = [];
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const at = ["ingress", "rules", i];
    const key = `${rule.host?.toLowerCase() ?? "*"} ${rule.path ?? "*"}`;
    const first = seen.get(key);
    if (first !== undefined) {
      const msg = `matches the same host and path as rule ${first + 1}, which takes every such request first: remove one, or change its host or path`;
      out.push(source.report(RULES.webRules, at, msg));
    } else seen.set(key, i);
    const target = parts.services?.[rule.to];
    if (!parts.serviceNames.includes(rule.to)) {
      const guess = closest(rule.to, parts.serviceNames);
      const msg = `unknown service "${rule.to}"; ${guess ? `did you mean "${guess}"? ` : ""}services in this file: ${parts.serviceNames.join(", ")}`;
      out.push(source.report(RULES.webRules, [...at, "to"], msg));
      return;
    }
    if (target?.protocol === "tcp") {
      const msg = `${rule.to} speaks tcp, which an Application Load Balancer cannot route by host or path: give ${rule.to} its own ingress (a Network Load Balancer), or send to an HTTP service`;
      out.push(source.report(RULES.webRules, [...at, "to"], msg));
    } else if ((target?.protocol === "grpc" || target?.protocol === "http2") && parts.ingress?.certificate === undefined) {
      const msg = `${rule.to} speaks ${target.protocol}, which an Application Load Balancer forwards only from an HTTPS listener: add ingress.certificate`;
      out.push(source.report(RULES.webHttps, [...at, "to"], msg));
    }
    const strategy = target?.deployment?.strategy;
    if (strategy !== undefined && strategy !== "rolling" && rules.findIndex((r) => r.to === rule.to) === i) {
      const msg = `${rule.to} deploys ${strategy}, but meshform shifts traffic behind the environment's load balancer only in rolling deployments so far: use strategy: rolling, or reach ${rule.to} through its own ingress`;
      out.push(source.report(RULES.webDeployment, ["services", rule.to, "deployment", "strategy"], msg));
    }
  });
  return out;
};
