/** Turns Zod issues into located diagnostics that say what is wrong and what is allowed. */
import type { z } from "zod";
import type { Diagnostic } from "./diagnostics";
import { RULES } from "./rules";
import type { Source } from "./source";
import { closest } from "./suggest";

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  object: "a map",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
};

/** Shows a value as the user wrote it; a key with no value (`cpu:`) reads as "nothing". */
export function show(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function bound(iss: RawIssue & { code: "too_small" | "too_big" }): string {
  const small = iss.code === "too_small";
  const limit = Number(small ? (iss as { minimum: number | bigint }).minimum : (iss as { maximum: number | bigint }).maximum);
  const got = iss.input;
  switch (iss.origin) {
    case "string":
      return `must be ${small ? "at least" : "at most"} ${plural(limit, "character")} long, got ${show(got)}`;
    case "array":
    case "set":
      return `must list ${small ? "at least" : "at most"} ${plural(limit, "item")}, got ${Array.isArray(got) ? got.length : show(got)}`;
    default: {
      const relation = iss.inclusive === false ? (small ? "greater than" : "less than") : small ? "at least" : "at most";
      return `must be ${relation} ${limit}, got ${show(got)}`;
    }
  }
}

/** Message for issues whose schema gave none of its own; schema-level messages take precedence. */
export function defaultMessage(iss: RawIssue): string | undefined {
  switch (iss.code) {
    case "invalid_type": {
      const expected = TYPE_NAMES[iss.expected] ?? iss.expected;
      return iss.input === undefined ? `is required (${expected})` : `must be ${expected}, got ${show(iss.input)}`;
    }
    case "too_small":
    case "too_big":
      return bound(iss);
    case "invalid_value":
      return `must be one of ${iss.values.map((v) => JSON.stringify(v)).join(", ")}, got ${show(iss.input)}`;
    case "invalid_format":
      return `must match ${iss.pattern ?? iss.format}, got ${show(iss.input)}`;
    case "not_multiple_of":
      return `must be a multiple of ${iss.divisor}, got ${show(iss.input)}`;
    default:
      return undefined;
  }
}

/** Keys an object schema allows at `path` (through records, lists, optionals and defaults). */
export function allowedKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.core.$ZodType | undefined = schema;
  const unwrap = () => {
    for (;;) {
      const def: z.core.$ZodTypeDef & Record<string, unknown> = current!._zod.def as never;
      if ("innerType" in def) current = def.innerType as z.core.$ZodType;
      else if (def.type === "pipe") current = def.in as z.core.$ZodType;
      else return def;
    }
  };
  for (const segment of path) {
    const def = unwrap();
    if (def.type === "object") current = (def.shape as Record<string, z.core.$ZodType>)[String(segment)];
    else if (def.type === "record") current = def.valueType as z.core.$ZodType;
    else if (def.type === "array") current = def.element as z.core.$ZodType;
    else return [];
    if (!current) return [];
  }
  const def = unwrap();
  return def.type === "object" ? Object.keys(def.shape as object) : [];
}

/** Adds what the user wrote to a schema-level message: "is required" when nothing, else ", got X" for scalars. */
function withInput(iss: Issue, written: unknown): string {
  if (written === undefined && !iss.message.startsWith("is required")) return `is required; ${iss.message}`;
  const scalar = written === null || (typeof written !== "object" && written !== undefined);
  return scalar && !iss.message.includes(", got ") ? `${iss.message}, got ${show(written)}` : iss.message;
}

export function issueDiagnostics(issues: readonly Issue[], source: Source, schema: z.ZodType): Diagnostic[] {
  return issues.flatMap((iss): Diagnostic[] => {
    if (iss.code === "unrecognized_keys") {
      const allowed = allowedKeys(schema, iss.path);
      return iss.keys.map((key) => {
        const guess = closest(key, allowed);
        const hint = guess ? `did you mean "${guess}"? ` : "";
        return source.report(RULES.unknownKey, [...iss.path, key], `unknown key "${key}"; ${hint}allowed: ${allowed.join(", ")}`, true);
      });
    }
    if (iss.code === "invalid_key") {
      const inner = iss.issues[0]?.message ?? iss.message;
      return [source.report(RULES.schema, iss.path, inner, true)];
    }
    return [source.report(RULES.schema, iss.path, withInput(iss, source.valueAt(iss.path)))];
  });
}
