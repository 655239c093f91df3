/**
 * `container_definitions` and IAM policies are JSON strings with Terraform references inside, so a plan
 * shows them as "known after apply" and checks nothing in them. This parses each one (references replaced
 * by a placeholder, user text's escaped `$${` left alone) and checks the shape AWS expects.
 */
import type { Json } from "./offline";

/** `${…}` that Terraform evaluates, not the `$${` escape of user text. */
const REFERENCE = /(?<!\$)\$\{[^}]*\}/g;

const JSON_ATTRIBUTES: Record<string, string[]> = {
  aws_ecs_task_definition: ["container_definitions"],
  aws_iam_role: ["assume_role_policy"],
  aws_iam_role_policy: ["policy"],
  aws_iam_policy: ["policy"],
  aws_ecr_lifecycle_policy: ["policy"],
  aws_sqs_queue_policy: ["policy"],
  aws_vpclattice_auth_policy: ["policy"],
};

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown) => typeof v === "string" || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string"));

function containerProblems(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) return ["is not a non-empty list of containers"];
  return value.flatMap((c, i) => {
    if (!isObject(c)) return [`[${i}] is not an object`];
    const out: string[] = [];
    if (typeof c.name !== "string" || c.name === "") out.push(`[${i}].name is missing`);
    if (typeof c.image !== "string" || c.image === "") out.push(`[${i}].image is missing`);
    if (typeof c.essential !== "boolean") out.push(`[${i}].essential is not true or false`);
    for (const key of ["cpu", "memory", "memoryReservation"])
      if (key in c && typeof c[key] !== "number") out.push(`[${i}].${key} is not a number`);
    if ("depends_on" in c) out.push(`[${i}] has "depends_on", which ECS ignores: its key is dependsOn`);
    return out;
  });
}

function policyProblems(value: unknown): string[] {
  if (!isObject(value)) return ["is not an object"];
  if (value.Version !== "2012-10-17") return [`Version is ${JSON.stringify(value.Version)}, not "2012-10-17"`];
  if (!Array.isArray(value.Statement) || value.Statement.length === 0) return ["has no Statement list"];
  return value.Statement.flatMap((s: unknown, i: number) => {
    if (!isObject(s)) return [`Statement[${i}] is not an object`];
    const out: string[] = [];
    if (s.Effect !== "Allow" && s.Effect !== "Deny") out.push(`Statement[${i}].Effect is not Allow or Deny`);
    if (!strings(s.Action)) out.push(`Statement[${i}].Action is not a string or a list of strings`);
    if (!("Resource" in s) && !("Principal" in s)) out.push(`Statement[${i}] has neither Resource nor Principal`);
    if ("Resource" in s && !strings(s.Resource)) out.push(`Statement[${i}].Resource is not a string or a list of strings`);
    return out;
  });
}

function lifecycleProblems(value: unknown): string[] {
  return isObject(value) && Array.isArray(value.rules) && value.rules.length > 0 ? [] : ["has no rules list"];
}

const SHAPES: Record<string, (v: unknown) => string[]> = {
  container_definitions: containerProblems,
  assume_role_policy: policyProblems,
  policy: policyProblems,
};

/** Every problem of the JSON-string attributes of a synthesized stack, as `type.name.attribute: problem`. */
export function jsonAttributeProblems(stack: Json): string[] {
  const out: string[] = [];
  for (const [type, attributes] of Object.entries(JSON_ATTRIBUTES)) {
    for (const [name, body] of Object.entries((stack.resource?.[type] ?? {}) as Record<string, Json>)) {
      for (const attribute of attributes) {
        const text = body[attribute];
        if (text === undefined) continue;
        const where = `${type}.${name}.${attribute}`;
        if (typeof text !== "string") {
          out.push(`${where}: is not a JSON string`);
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(text.replace(REFERENCE, "REF"));
        } catch (err) {
          out.push(`${where}: is not valid JSON (${(err as Error).message})`);
          continue;
        }
        const shape = type === "aws_ecr_lifecycle_policy" ? lifecycleProblems : SHAPES[attribute]!;
        out.push(...shape(value).map((p) => `${where}: ${p}`));
      }
    }
  }
  return out;
}
