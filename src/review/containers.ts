/**
 * The containers of each task definition after a change, beside those it is compared with: the same task
 * definition before, else one of the same service before (a new version's), else none (a new service). What the
 * runtime findings read: users, root filesystems, writable paths, variables.
 */
import type { ResolvedEnvironment } from "../config/model";
import type { Json } from "./diff";
import { type Owner, ownerOf } from "./owners";
import { parseJson, resources } from "./stack";

export interface Container {
  name: string;
  /** As ECS takes it; undefined: the image's own user. */
  user?: string;
  /** ECS's default is a writable root. */
  readonlyRoot: boolean;
  /** Container paths mounted writable. */
  writablePaths: string[];
  /** Plain environment variables, by name. */
  variables: string[];
  /** A FireLens log router (firelensConfiguration). */
  logRouter: boolean;
}

export interface TaskContainers {
  /** `aws_ecs_task_definition.<name>`. */
  address: string;
  /** The task definition's family: what the findings call it. */
  family: string;
  owner?: Owner;
  now: Map<string, Container>;
  /** Undefined for a new service's task definition. */
  was?: Map<string, Container>;
}

const names = (list: unknown) => ((list ?? []) as Json[]).map((e) => String(e.name));

function container(c: Json): Container {
  return {
    name: String(c.name),
    ...(typeof c.user === "string" && { user: c.user }),
    readonlyRoot: c.readonlyRootFilesystem === true,
    writablePaths: ((c.mountPoints ?? []) as Json[]).filter((m) => m.readOnly !== true).map((m) => String(m.containerPath)),
    variables: names(c.environment),
    logRouter: c.firelensConfiguration !== undefined,
  };
}

const containersOf = (task: Json) =>
  new Map(((parseJson(task.container_definitions) ?? []) as Json[]).map((c) => [String(c.name), container(c)]));

/** Each task definition of `after`, with its containers and those before it (see the file's comment). */
export function taskContainers(before: Json | undefined, after: Json | undefined, env: ResolvedEnvironment | undefined): TaskContainers[] {
  const old = resources(before, "aws_ecs_task_definition").map(([name, task]) => ({
    address: `aws_ecs_task_definition.${name}`,
    service: ownerOf(env, before, task)?.service.name,
    containers: containersOf(task),
  }));
  return resources(after, "aws_ecs_task_definition").map(([name, task]) => {
    const address = `aws_ecs_task_definition.${name}`;
    const owner = ownerOf(env, after, task);
    const was = old.find((t) => t.address === address) ?? (owner ? old.find((t) => t.service === owner.service.name) : undefined);
    return {
      address,
      family: String(task.family),
      ...(owner && { owner }),
      now: containersOf(task),
      ...(was && { was: was.containers }),
    };
  });
}
