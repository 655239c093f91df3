/** The configs `npm run bench` measures: valid, and 18 resources per service (the 16, a security group and its rule to the next service's) and 4 per environment. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeScaleConfigs } from "../../src/bench/scale-configs";
import { resolve, validate } from "../helpers";
import { synthStack } from "../stack-helpers";

describe("scale configs", () => {
  it("are valid environments of services that each call the next with a retry policy, 18 resources apiece", () => {
    const dir = mkdtempSync(join(tmpdir(), "meshform-scale-"));
    expect(writeScaleConfigs(dir, 2, 3)).toEqual(["env0", "env1"]);
    const text = readFileSync(join(dir, "env1.yaml"), "utf8");
    expect(validate(text, "env1.yaml")).toEqual([]);
    const env = resolve(text, "env1.yaml");
    expect(env.services.map((s) => [s.name, s.backends.map((b) => b.service)])).toEqual([
      ["svc-0", ["svc-1"]],
      ["svc-1", ["svc-2"]],
      ["svc-2", ["svc-0"]],
    ]);
    const stack = synthStack(env);
    const count = Object.values(stack.resource as Record<string, object>).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(count).toBe(3 * 18 + 4);
  });
});
