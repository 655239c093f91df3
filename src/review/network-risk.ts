/**
 * Who may reach the tasks after a change: tasks given a public IP (MF908), a security group rule admitting a
 * wider network or other ports (MF909), a load balancer turned internet-facing (MF910).
 */
import type { ResolvedEnvironment } from "../config/model";
import type { Json } from "./diff";
import { FINDINGS, type Finding } from "./findings";
import { ownerOf } from "./owners";
import { get, resources } from "./stack";

export function exposureFindings(before: Json | undefined, after: Json | undefined, env: ResolvedEnvironment | undefined): Finding[] {
  const out: Finding[] = [];
  for (const [name, s] of resources(after, "aws_ecs_service")) {
    const was = get(before, `aws_ecs_service.${name}`);
    if (s.network_configuration?.assign_public_ip === true && was?.network_configuration?.assign_public_ip !== true) {
      const owner = ownerOf(env, after, s);
      out.push({
        rule: FINDINGS.publicIp,
        resource: `aws_ecs_service.${name}`,
        message: `${s.name}'s tasks get a public IP`,
        ...(owner && { field: ["services", owner.service.name] }),
      });
    }
  }
  const width = (cidr: unknown) => (typeof cidr === "string" ? Number(cidr.split("/")[1]) : 33);
  for (const [name, rule] of resources(after, "aws_vpc_security_group_ingress_rule")) {
    const was = get(before, `aws_vpc_security_group_ingress_rule.${name}`);
    if (rule.cidr_ipv4 === undefined) continue;
    if (!was || width(rule.cidr_ipv4) < width(was.cidr_ipv4) || rule.from_port !== was.from_port || rule.to_port !== was.to_port) {
      const owner = ownerOf(env, after, rule);
      out.push({
        rule: FINDINGS.ingressWidened,
        resource: `aws_vpc_security_group_ingress_rule.${name}`,
        message: `admits ${rule.cidr_ipv4} on port ${rule.from_port === rule.to_port ? rule.from_port : `${rule.from_port}-${rule.to_port}`}${was ? ` (was ${was.cidr_ipv4})` : ""}`,
        ...(owner?.service.ingress && { field: ["services", owner.service.name, "ingress", "allowedCidrs"] }),
      });
    }
  }
  for (const [name, lb] of resources(after, "aws_lb")) {
    const was = get(before, `aws_lb.${name}`);
    if (lb.internal === false && was?.internal !== false) {
      const owner = ownerOf(env, after, lb);
      out.push({
        rule: FINDINGS.internetFacing,
        resource: `aws_lb.${name}`,
        message: `load balancer ${lb.name} faces the internet`,
        ...(owner && { field: ["services", owner.service.name, "ingress", "scheme"] }),
      });
    }
  }
  return out;
}
