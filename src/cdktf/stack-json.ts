/**
 * What TerraformStack.toTerraform() returns, computed with a fraction of its token-resolution work.
 *
 * cdktf resolves every element's JSON through its generic resolver, which builds a context object and two
 * closures for every key and value of every resource, and then resolves the merged stack a second time. Two
 * thirds of a synth went there, for values that are almost all plain strings, numbers and booleans: in a
 * service's ~490 JSON values only a few dozen are tokens (references such as `${aws_iam_role.x.arn}`).
 *
 * So this walks each element's JSON in plain JavaScript and hands to cdktf's public resolver
 * (Tokenization.resolve, with the resolver cdktf itself uses) exactly the values that may hold a token:
 *   - a string containing cdktf's token marker `TfToken[` (string, list and map tokens all carry it), or
 *     anything shaped like an encoded number (`-1.8881545897087626e+289`, which cdktf splices into strings);
 *   - a number outside ±1e280 (cdktf encodes number tokens as doubles near -1e289; real values never are);
 *   - an array holding any of those (cdktf treats such an array as a whole), or an object with such a key;
 *   - anything resolvable (an object with resolve()), a function, a construct: cdktf decides, or throws.
 * Everything else resolves to itself under cdktf's rules (objects and arrays are copied, undefined dropped),
 * and is copied the same way here. The merged result is then plain data, so the second pass over the whole
 * stack, which could change nothing, is not run.
 *
 * Public API only: TerraformStack subclasses may override toTerraform(); the elements are found by walking
 * node.children as cdktf does; the metadata and outputs blocks are built as cdktf builds them. A test
 * compares this with super.toTerraform() on every shipped and generated config, so a cdktf upgrade that
 * changes any of it fails there, not in a deployment.
 */
import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformOutput, TerraformStack, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";

type Json = Record<string, unknown>;

const RESOLVER = new DefaultTokenResolver(new StringConcat());
const TOKEN_MARK = "TfToken[";
const ENCODED_NUMBER = /e\+\d{3}/;
const LARGEST_PLAIN_NUMBER = 1e280;

const plainString = (s: string) => !s.includes(TOKEN_MARK) && !ENCODED_NUMBER.test(s);
const plainNumber = (n: number) => Math.abs(n) < LARGEST_PLAIN_NUMBER || n === 0;
const plainScalar = (x: unknown) => (typeof x === "string" ? plainString(x) : typeof x === "number" ? plainNumber(x) : true);

/**
 * `value` resolved as cdktf's resolver would resolve it in `scope`. Objects and arrays that hold no token and
 * no undefined are returned as they are rather than copied (elements' toTerraform() builds fresh ones on
 * every call, so nothing else holds them): two thirds fewer allocations, and less garbage to collect.
 */
export function resolveValue(scope: IConstruct, value: unknown): unknown {
  const slow = (x: unknown) => Tokenization.resolve(x, { scope, preparing: false, resolver: RESOLVER });
  const walk = (x: unknown): unknown => {
    switch (typeof x) {
      case "string":
      case "number":
        return plainScalar(x) ? x : slow(x);
      case "object": {
        if (x === null || x instanceof Date) return x;
        if (Array.isArray(x)) {
          if (!x.every(plainScalar)) return slow(x);
          let out: unknown[] | undefined; // a copy, made at the first element that changes
          for (let i = 0; i < x.length; i++) {
            const r = walk(x[i]);
            if (out === undefined && r === x[i] && r !== undefined) continue;
            out ??= x.slice(0, i);
            if (r !== undefined) out.push(r);
          }
          return out ?? x;
        }
        if (Tokenization.isResolvable(x) || isConstruct(x)) return slow(x);
        const keys = Object.keys(x);
        if (!keys.every(plainString)) return slow(x);
        const object = x as Json;
        let out: Json | undefined;
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          const r = walk(object[key]);
          if (out === undefined && r === object[key] && r !== undefined) continue;
          if (out === undefined) {
            out = {};
            for (let j = 0; j < i; j++) out[keys[j]!] = object[keys[j]!];
          }
          if (r !== undefined) out[key] = r;
        }
        return out ?? x;
      }
      case "function":
        return slow(x);
      default:
        return x; // undefined, boolean, bigint, symbol: as cdktf returns them
    }
  };
  return walk(value);
}

/** What cdktf's resolver refuses to walk into (it reports the mistake; so does `slow`). */
const isConstruct = (x: object) => "_children" in x && "_metadata" in x;

/** The stack's Terraform elements in cdktf's order: depth first, in creation order, not into nested stacks. */
function elementsOf(stack: TerraformStack): TerraformElement[] {
  const out: TerraformElement[] = [];
  const visit = (c: IConstruct) => {
    if (TerraformElement.isTerraformElement(c)) out.push(c);
    for (const child of c.node.children) if (!TerraformStack.isStack(child)) visit(child);
  };
  visit(stack);
  return out;
}

/**
 * cdktf's deepMerge: objects merge key by key, arrays concatenate, undefined deletes, anything resolvable
 * replaces what was there.
 */
export function deepMerge(target: Json, source: Json): Json {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      if (typeof target[key] !== "object") target[key] = {};
      if (Tokenization.isResolvable(value)) target[key] = value;
      else deepMerge(target[key] as Json, value as Json);
    } else if (Array.isArray(value)) {
      target[key] = Array.isArray(target[key]) ? [...(target[key] as unknown[]), ...value] : value;
    } else if (value === undefined) delete target[key];
    else target[key] = value;
  }
  return target;
}

/**
 * The stack's Terraform JSON, equal to `super.toTerraform()`. `overrides` are the stack's own addOverride()
 * calls, which cdktf keeps in a private field: the stack records them as it makes them.
 */
export function stackJson(stack: TerraformStack, overrides: Json): Json {
  const elements = elementsOf(stack);
  const metadata: Json = {
    version: stack.node.tryGetContext("cdktfVersion"),
    stackName: stack.node.id,
    backend: "local", // a backend element's metadata replaces it, as in cdktf
    cloud: undefined,
    ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
  };
  for (const e of elements) deepMerge(metadata, resolveValue(stack, e.toMetadata()) as Json);
  const outputs: Json = {};
  for (const e of elements) {
    if (!TerraformOutput.isTerraformOutput(e)) continue;
    const nested = e.node.path.split("/").reduceRight<Json | string>((inner, part) => ({ [part]: inner }), e.friendlyUniqueId);
    deepMerge(outputs, nested as Json);
  }
  const tf: Json = { "//": { metadata, outputs } };
  for (const e of elements) deepMerge(tf, resolveValue(stack, e.toTerraform()) as Json);
  deepMerge(tf, resolveValue(stack, overrides) as Json);
  return tf;
}
