/**
 * Who may reach the tasks after a change: tasks given a public IP (MF908), a security group rule admitting a
 * wider network or other ports (MF909), a load balancer turned internet-facing (MF910), a group admitting a
 * caller or peer it did not (MF924).
 */
import type { ResolvedEnvironment } from "../config/model";
import type { Json } from "./diff";
import { FINDINGS, type Finding } from "./findings";
import { ownerOf } from "./owners";
import { addressOf, get, referenced, resources } from "./stack";

const ports = (rule: Json) => (rule.from_port === rule.to_port ? `${rule.from_port}` : `${rule.from_port}-${rule.to_port}`);

/** Who a rule without a CIDR admits, in words, and the YAML field that made it: a caller's `backends` entry, an `ingress`. */
function peer(
  after: Json | undefined,
  env: ResolvedEnvironment | undefined,
  rule: Json,
): { what: string; field?: (string | number)[]; caller?: boolean } {
  const target = ownerOf(env, after, rule)?.service;
  const own = target && { field: ["services", target.name] };
  if (rule.prefix_list_id !== undefined) return { what: `prefix list ${rule.prefix_list_id}`, ...own };
  const group = referenced(after, rule.referenced_security_group_id);
  const name = group?.name ?? rule.referenced_security_group_id;
  const owner = group && ownerOf(env, after, group);
  if (!owner) return { what: `security group ${name}`, ...own };
  const s = owner.service;
  if (owner.rest === "ingress" || owner.rest === "gateway") {
    const what = owner.rest === "ingress" ? "the load balancer" : "the ingress gateway";
    return { what: `${what} of ${s.name} (security group ${name})`, field: ["services", s.name, "ingress"] };
  }
  const i = target ? s.backends.findIndex((b) => b.service === target.name) : -1;
  return {
    what: `${s.name}'s tasks (security group ${name})`,
    field: ["services", s.name, ...(i >= 0 ? ["backends", i] : [])],
    caller: true,
  };
}

/** The peer a rule names, as it is written: a CIDR, a group, a prefix list. */
const peerOf = (stack: Json | undefined, rule: Json) =>
  rule.cidr_ipv4 ??
  rule.cidr_ipv6 ??
  rule.prefix_list_id ??
  referenced(stack, rule.referenced_security_group_id)?.name ??
  rule.referenced_security_group_id;

/**
 * A rule of a group that existed before admitting a peer it did not (MF924): a caller's group, a load balancer's,
 * a prefix list (meshform names only AWS's managed ones). Low: a group admits only what is in it, not a network
 * (a CIDR is MF909, medium; facing the internet, MF910, high). A new group's rules come with it (a new service,
 * or the move from one shared group); the resource list shows them.
 */
function peerFinding(
  before: Json | undefined,
  after: Json | undefined,
  env: ResolvedEnvironment | undefined,
  name: string,
  rule: Json,
  was: Json | undefined,
): Finding[] {
  if (was && peerOf(before, was) === peerOf(after, rule)) return [];
  const group = addressOf(rule.security_group_id);
  if (group && !get(before, group)) return [];
  const { what, field, caller } = peer(after, env, rule);
  const groupName = referenced(after, rule.security_group_id)?.name ?? rule.security_group_id;
  return [
    {
      rule: FINDINGS.newPeer,
      resource: `aws_vpc_security_group_ingress_rule.${name}`,
      message: `${groupName} now admits port ${ports(rule)} from ${what}${was ? ` (was ${peerOf(before, was)})` : ""}: ${
        rule.prefix_list_id !== undefined
          ? "a new way in, from the addresses the list holds, which its owner keeps"
          : `${caller ? "a new caller" : "a new way in"}; only what is in that group gets in, not a network`
      }`,
      ...(field && { field }),
    },
  ];
}

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
  const width = (cidr: unknown) => (typeof cidr === "string" ? Number(cidr.split("/")[1]) : 129);
  for (const [name, rule] of resources(after, "aws_vpc_security_group_ingress_rule")) {
    const was = get(before, `aws_vpc_security_group_ingress_rule.${name}`);
    const cidr = rule.cidr_ipv4 ?? rule.cidr_ipv6;
    if (cidr === undefined) {
      out.push(...peerFinding(before, after, env, name, rule, was));
      continue;
    }
    const wasCidr = was?.cidr_ipv4 ?? was?.cidr_ipv6;
    if (!was || width(cidr) < width(wasCidr) || rule.from_port !== was.from_port || rule.to_port !== was.to_port) {
      const owner = ownerOf(env, after, rule);
      out.push({
        rule: FINDINGS.ingressWidened,
        resource: `aws_vpc_security_group_ingress_rule.${name}`,
        message: `admits ${cidr} on port ${ports(rule)}${was ? ` (was ${wasCidr ?? peerOf(after, was)} on port ${ports(was)})` : ""}`,
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
