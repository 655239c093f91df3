/**
 * A TerraformStack whose JSON is made by stack-json.ts (the same JSON, a third of the work). stack-json.ts
 * needs the stack's own addOverride() calls, which cdktf keeps in a private field: this class records them as
 * they are made.
 */
import { TerraformStack } from "cdktf";
import { stackJson } from "./stack-json";

export class FastStack extends TerraformStack {
  private readonly overrides: Record<string, unknown> = {};

  override addOverride(path: string, value: unknown): void {
    super.addOverride(path, value);
    const keys = path.split(".");
    let at = this.overrides;
    for (const key of keys.slice(0, -1)) {
      const next = at[key];
      at = at[key] = next !== null && typeof next === "object" && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
    }
    at[keys.at(-1)!] = value;
  }

  /** The same JSON as TerraformStack.toTerraform(): see stack-json.ts. */
  override toTerraform(): Record<string, unknown> {
    return stackJson(this, this.overrides);
  }
}
