/** Reading a synthesized stack's JSON: resources by type and address, references, JSON held in strings. */
import type { Json } from "./diff";

export const resources = (stack: Json | undefined, type: string): [string, Json][] =>
  Object.entries((stack?.resource?.[type] ?? {}) as Json);

/** The resource at `<type>.<name>`. */
export const get = (stack: Json | undefined, address: string): Json | undefined => {
  const [type, name] = [address.slice(0, address.indexOf(".")), address.slice(address.indexOf(".") + 1)];
  return stack?.resource?.[type]?.[name];
};

const REFERENCE = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/;

/** The address a reference such as `${aws_iam_role.task_1.name}` names. */
export function addressOf(reference: unknown): string | undefined {
  const m = typeof reference === "string" ? REFERENCE.exec(reference) : null;
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** The resource a reference names, in `stack`. */
export function referenced(stack: Json | undefined, reference: unknown): Json | undefined {
  const address = addressOf(reference);
  return address ? get(stack, address) : undefined;
}

export function parseJson(text: unknown): Json | undefined {
  try {
    return typeof text === "string" ? (JSON.parse(text) as Json) : undefined;
  } catch {
    return undefined;
  }
}
