/** Helpers for tests of synthesized stacks: synthesize a resolved environment, find resources in the JSON. */
import { Testing } from "cdktf";
import type { ResolvedEnvironment } from "../src/config/model";
import { EnvironmentStack } from "../stacks/environment-stack";

export type Json = Record<string, any>;

export function synthStack(env: ResolvedEnvironment): Json {
  return JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), env)));
}

/** All resources of a Terraform type, with their logical names. */
export function resources(stack: Json, type: string): Json[] {
  return Object.entries(stack.resource?.[type] ?? {}).map(([id, body]) => ({ id, ...(body as Json) }));
}

/** The single resource of `type` matching `where`; fails when there is not exactly one. */
export function one(stack: Json, type: string, where: (r: Json) => boolean = () => true): Json {
  const found = resources(stack, type).filter(where);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

/** The Terraform reference `${type.id.attr}` for a resource from `resources`/`one`. */
export const ref = (type: string, r: Json, attr: string) => `\${${type}.${r.id}.${attr}}`;
