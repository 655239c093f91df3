/**
 * The runtime's secure defaults given up by a change, each a finding at the YAML field that gives it up: a
 * container that now runs as root (MF919), a root filesystem turned writable (MF920), a path the app may now
 * write to (MF921), a variable whose name looks secret set in plain text (MF922). Read from the task
 * definitions' container definitions, each compared with the same container before (containers.ts); a container
 * the YAML adds (a sidecar, or a new service's app) is compared with the defaults. meshform's own containers
 * (Envoy, the tracing collector) are judged only against what they were: their settings are meshform's.
 */
import { SECRET_NAME } from "../config/checks/runtime";
import type { ResolvedEnvironment, ResolvedService } from "../config/model";
import { runtimeFields } from "../config/runtime-schema";
import { CONTAINER } from "../constructs/container-basics";
import { type Container, type TaskContainers, taskContainers } from "./containers";
import type { Json } from "./diff";
import { FINDINGS, type Finding, type FindingRule } from "./findings";

/** A user ECS runs as root: uid 0 or the name root, with or without a group; none at all is the image's, root unless it names another. */
const runsAsRoot = (user: string | undefined) => user === undefined || /^(0|root)(:|$)/.test(user);

/** The paths a new service's app may write to without saying so. */
const DEFAULT_WRITABLE: readonly string[] = runtimeFields.writablePaths.parse(undefined);

/** The app's containers: the app, and the readiness gate that runs its image as its user. */
const APP_CONTAINERS: readonly string[] = [CONTAINER.app, CONTAINER.ready];

/** The YAML path of a container's setting: the service's own for the app, the sidecar's for a sidecar; else the service. */
function fieldOf(service: ResolvedService | undefined, container: string, leaf: string): (string | number)[] | undefined {
  if (!service) return undefined;
  if (APP_CONTAINERS.includes(container)) return ["services", service.name, leaf];
  if (service.runtime.sidecars.some((c) => c.name === container)) return ["services", service.name, "sidecars", container, leaf];
  return ["services", service.name];
}

/** The containers of `t` to judge, each with what it is compared with (undefined: a container the YAML adds). */
function judged(t: TaskContainers): { now: Container; was?: Container }[] {
  const service = t.owner?.service;
  const fromYaml = (name: string) => APP_CONTAINERS.includes(name) || (service?.runtime.sidecars.some((c) => c.name === name) ?? false);
  return [...t.now.values()].flatMap((now) => {
    const was = t.was?.get(now.name);
    return was ? [{ now, was }] : fromYaml(now.name) ? [{ now }] : [];
  });
}

const quoted = (user: string | undefined) => (user === undefined ? "the image's user" : `"${user}"`);

/** `container app`, `containers app, app-ready`, with `(new)` after a container the change adds. */
const named = (list: { now: Container; was?: Container }[]) =>
  `${list.length === 1 ? "container" : "containers"} ${list.map((c) => `${c.now.name}${c.was ? "" : " (new)"}`).join(", ")}`;

/** "now " where one of the containers was there before: a container the change adds does not "now" do anything. */
const nowWord = (list: { was?: Container }[]) => (list.some((c) => c.was) ? "now " : "");

/** One finding per YAML field, naming every container it concerns (the app and its readiness gate share the app's `user`). */
function grouped(
  t: TaskContainers,
  list: { now: Container; was?: Container }[],
  leaf: string,
  finding: (containers: { now: Container; was?: Container }[]) => { rule: FindingRule; message: string },
): Finding[] {
  const byField = new Map<string, { field?: (string | number)[]; containers: { now: Container; was?: Container }[] }>();
  for (const c of list) {
    const field = fieldOf(t.owner?.service, c.now.name, leaf);
    const key = JSON.stringify(field ?? c.now.name);
    byField.set(key, { ...(field && { field }), containers: [...(byField.get(key)?.containers ?? []), c] });
  }
  return [...byField.values()].map(({ field, containers }) => ({ ...finding(containers), resource: t.address, ...(field && { field }) }));
}

function rootFindings(t: TaskContainers): Finding[] {
  const root = judged(t).filter(({ now, was }) => runsAsRoot(now.user) && !(was && runsAsRoot(was.user)));
  return grouped(t, root, "user", (list) => {
    const [{ now, was }] = list as [{ now: Container; was?: Container }];
    const user = now.user === undefined ? "no user: the image's own, root unless the image names another" : `user "${now.user}"`;
    const firelens = now.logRouter && now.user !== undefined ? ", which FireLens requires of its log router" : "";
    const [run, it] = list.length === 1 ? ["runs", "it"] : ["run", "them"];
    return {
      rule: FINDINGS.rootUser,
      message: `${t.family}: ${named(list)} ${nowWord(list)}${run} as root (${user}${was ? `; was ${quoted(was.user)}` : ""}${firelens}): whatever breaks into ${it} may change anything in the container, and any escape starts as root`,
    };
  });
}

function writableRootFindings(t: TaskContainers): Finding[] {
  const writable = judged(t).filter(({ now, was }) => !now.readonlyRoot && (!was || was.readonlyRoot));
  return grouped(t, writable, "readonlyRootFilesystem", (list) => ({
    rule: FINDINGS.writableRoot,
    message: `${t.family}: ${named(list)} ${nowWord(list)}${list.length === 1 ? "has" : "have"} a writable root filesystem${list.every((c) => c.was) ? " (was read-only)" : ""}: whatever breaks in can change its programs and leave its own`,
  }));
}

function writablePathFindings(t: TaskContainers): Finding[] {
  const service = t.owner?.service;
  return judged(t).flatMap(({ now, was }) => {
    const before = was?.writablePaths ?? (now.name === CONTAINER.app ? DEFAULT_WRITABLE : []);
    return now.writablePaths
      .filter((path) => !before.includes(path))
      .map((path) => {
        const index = service?.runtime.writablePaths.indexOf(path) ?? -1;
        const field =
          index >= 0 && now.name === CONTAINER.app
            ? ["services", service!.name, "writablePaths", index]
            : fieldOf(service, now.name, "writablePaths");
        return {
          rule: FINDINGS.writablePath,
          resource: t.address,
          message: `${t.family}: container ${now.name} may ${was ? "now " : ""}write to ${path} (a task volume): what breaks into it can keep files there, and the programs in that path, if any, can be changed; the rest of its root stays read-only`,
          ...(field && { field }),
        };
      });
  });
}

/** Variables the YAML sets on a container: the service's `environment` for the app, the sidecar's own for a sidecar. */
function yamlVariables(service: ResolvedService, container: string): Record<string, string> {
  if (container === CONTAINER.app) return service.environment;
  return service.runtime.sidecars.find((c) => c.name === container)?.environment ?? {};
}

function plainSecretFindings(t: TaskContainers): Finding[] {
  const service = t.owner?.service;
  if (!service) return []; // without the model, meshform's own variables cannot be told from the YAML's
  return judged(t).flatMap(({ now, was }) => {
    const written = yamlVariables(service, now.name);
    return now.variables
      .filter((v) => v in written && SECRET_NAME.test(v) && !was?.variables.includes(v))
      .map((v) => ({
        rule: FINDINGS.plainSecret,
        resource: t.address,
        message: `${t.family}: container ${now.name} gets ${v} as a plain variable: its value is plain text in the task definition, readable by anyone who may describe it; put it in Secrets Manager or Parameter Store and name it under secrets`,
        field:
          now.name === CONTAINER.app
            ? ["services", service.name, "environment", v]
            : ["services", service.name, "sidecars", now.name, "environment", v],
      }));
  });
}

/** Every runtime default the change from `before` to `after` gives up, `env` being the after-change model. */
export function runtimeFindings(before: Json | undefined, after: Json | undefined, env: ResolvedEnvironment | undefined): Finding[] {
  return taskContainers(before, after, env).flatMap((t) => [
    ...rootFindings(t),
    ...writableRootFindings(t),
    ...writablePathFindings(t),
    ...plainSecretFindings(t),
  ]);
}
