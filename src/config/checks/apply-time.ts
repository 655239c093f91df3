/**
 * What AWS enforces at apply time that a plan cannot see, refused (or warned of) at the line that asks for it.
 * Each rule cites its source in rules.ts.
 */
import type { Diagnostic } from "../diagnostics";
import { TRACING_PORTS } from "../limits";
import { tracing } from "../model";
import { environmentNames, serviceNames } from "../names";
import { RULES } from "../rules";
import { type Check, loadBalancersOf, servicesOf, written } from "./check";

/** An internet-facing load balancer needs public subnets, which the tasks' (private) subnets are not. */
export const publicSubnets: Check = (parts, source) =>
  loadBalancersOf(parts).flatMap(({ at, scheme }): Diagnostic[] =>
    scheme === "internet-facing" && parts.network !== undefined && parts.network.publicSubnetIds === undefined
      ? [
          source.report(
            RULES.publicSubnets,
            [...at, "scheme"],
            "an internet-facing load balancer must be in public subnets (with a route to an internet gateway), and network.subnetIds are the tasks' private ones: add network.publicSubnetIds, or use scheme: internal",
          ),
        ]
      : [],
  );

/** Containers of a task share its network: an app cannot listen where the tracing collector does. */
export const tracingPorts: Check = (parts, source) => {
  const collector = tracing(parts.tracing);
  if (!collector || collector.collector === "none") return [];
  const taken: number[] = collector.collector === "adot" ? Object.values(TRACING_PORTS) : [TRACING_PORTS.xray];
  const what = collector.collector === "adot" ? "the tracing collector (ADOT)" : "the X-Ray daemon";
  return servicesOf(parts).flatMap(([name, s]): Diagnostic[] =>
    s.port !== undefined && taken.includes(s.port)
      ? [
          source.report(
            RULES.tracingPorts,
            ["services", name, "port"],
            `${s.port} is a port of ${what} beside the app in every task (${taken.join(", ")}); containers of a task share its network, so the app cannot listen on it: choose another port`,
          ),
        ]
      : [],
  );
};

/** The environment's repositories keep tags immutable, so a tag like `latest` can be pushed once only. */
export const immutableTags: Check = (parts, source) =>
  servicesOf(parts).flatMap(([name, s]): Diagnostic[] => {
    const tags = [
      { path: ["services", name, "imageTag"], tag: s.imageTag },
      ...Object.entries(s.versions ?? {}).map(([v, version]) => ({
        path: ["services", name, "versions", v, "imageTag"],
        tag: version?.imageTag,
      })),
    ];
    return tags
      .filter(({ path, tag }) => tag === "latest" && written(source, path))
      .map(({ path }) =>
        source.report(
          RULES.immutableLatest,
          path,
          "the environment's ECR repositories keep tags immutable (a running task's image cannot change under it), so \"latest\" could be pushed once and never again: tag each release anew, e.g. with its commit",
        ),
      );
  });

/** Local state lives on one machine: CI's runners lose it, so CI does not apply such an environment. */
export const remoteState: Check = (parts, source, { provider }) =>
  provider?.supports("deployable") && parts.state === undefined && parts.environment !== undefined
    ? [
        source.report(
          RULES.localState,
          ["environment"],
          "keeps its Terraform state in a local file (terraform.<env>.tfstate), which suits one person's machine; CI (.github/workflows/apply.yml) applies only environments with a remote state: add state: { bucket, key, region }",
        ),
      ]
    : [];

/** An environment moves from one provider to another. */
export const movedFrom: Check = (parts, source) =>
  parts.mesh?.movedFrom !== undefined && parts.mesh.movedFrom === parts.mesh.provider
    ? [
        source.report(
          RULES.movedFrom,
          ["mesh", "movedFrom"],
          `is the provider this environment uses (${parts.mesh.provider}); it names the one it used before, whose resources Terraform is to forget: remove it, or name the old provider`,
        ),
      ]
    : [];

/** Fields that moved: said where they were written, naming where they live now. */
export const movedFields: Check = (_parts, source) =>
  written(source, ["mesh", "xray"])
    ? [
        source.report(
          RULES.movedField,
          ["mesh", "xray"],
          "moved to tracing: the collector beside every app is set by tracing (e.g. tracing: { collector: xray-daemon, image, cpu, memory }, or collector: adot, the default, or none)",
          true,
        ),
      ]
    : [];

/** A load balancer health checks a service with its health check's interval and timeout: ELB wants the timeout shorter. */
export const healthCheckTimeout: Check = (parts, source) => {
  const routed = new Set((parts.ingress?.rules ?? []).map((r) => r.to));
  return servicesOf(parts).flatMap(([name, s]): Diagnostic[] => {
    const check = s.healthCheck;
    if (!(s.ingress || routed.has(name)) || check?.interval === undefined || check.timeout === undefined) return [];
    if (check.timeout < check.interval) return [];
    const at = written(source, ["services", name, "healthCheck", "timeout"]) ? "timeout" : "interval";
    const msg = `a load balancer checks ${name} every ${check.interval / 1000}s, and ELB requires each check to time out before the next (here ${check.timeout / 1000}s): make healthCheck.timeout shorter than healthCheck.interval`;
    return [source.report(RULES.healthCheckTimeout, ["services", name, "healthCheck", at], msg)];
  });
};

/** A service whose image is not pushed yet runs no tasks (its repository comes with the first apply): said at the service. */
export const awaitingImage: Check = (parts, source) =>
  servicesOf(parts).flatMap(([name, s]): Diagnostic[] => {
    if (s.image !== undefined || s.imageTag !== undefined || parts.imageTag !== undefined) return [];
    const versions = Object.entries(s.versions ?? {});
    const waiting = versions.filter(([, v]) => v?.imageTag === undefined).map(([v]) => v);
    if (versions.length > 0 && waiting.length === 0) return [];
    const repository =
      parts.environment && parts.project
        ? serviceNames(environmentNames(parts.environment, parts.project, ""), name).ecrRepository
        : "its repository";
    const which = versions.length === 0 ? name : `${name}'s ${waiting.join(", ")}`;
    const msg = `${which} runs no tasks until its image exists: the first apply creates ${repository} empty; push an image there, then set imageTag (the service's, or the environment's for every service) to its tag`;
    return [source.report(RULES.awaitingImage, ["services", name], msg, true)];
  });
