/**
 * Terraform reads every string of its JSON syntax as a template: `${…}` is an expression and `%{…}` a
 * directive, evaluated at plan time. Text a user wrote must deploy as written, so it reaches cdk.tf.json
 * with both sequences escaped (`$${`, `%%{`), which Terraform renders back as `${` and `%{`. Terraform
 * references that meshform itself builds are cdktf tokens, added by the constructs after this point, so
 * they stay live.
 */

/** `text` as a Terraform template that renders to exactly `text`. */
export function escapeTemplate(text: string): string {
  // Function replacers: in a replacement string, `$$` would itself mean one `$`.
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/**
 * A deep copy of `value` with every string, map keys included, escaped. Applied once, to the resolved
 * environment where it enters the stack, so no field can be forgotten.
 */
export function terraformLiterals<T>(value: T): T {
  if (typeof value === "string") return escapeTemplate(value) as T;
  if (Array.isArray(value)) return value.map(terraformLiterals) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[escapeTemplate(key)] = terraformLiterals(v);
    return out as T;
  }
  return value;
}
