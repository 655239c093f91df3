/**
 * config/ belongs to meshform's users, who edit it: these are the only tests that read it, and they pin
 * nothing of what it holds (no positions, names or values). Whatever environments are there must validate
 * as `npm run validate` does, with no errors (warnings are the user's business), and synthesize into stacks
 * that run services. Every other test uses its own environments: test/fixtures/envs (copies of config/ as
 * meshform shipped it) or YAML written in the test.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Diagnostic, formatDiagnostic } from "../../src/config/diagnostics";
import { parseEnvironment } from "../../src/config/load";
import { evaluate, loadEnvironments } from "../../src/environments";
import { resources, synthStack } from "../stack-helpers";

const CONFIG = "config";
const errors = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);

describe("the environments in config/", () => {
  it("load together with no errors, as `npm run validate` loads them", () => {
    const { environments, diagnostics } = loadEnvironments(CONFIG);
    expect(errors(diagnostics)).toEqual([]);
    expect(environments.length).toBeGreaterThan(0);
  });

  const files = readdirSync(CONFIG)
    .filter((name) => name.endsWith(".yaml"))
    .sort();
  it.each(files)("%s validates with no errors and synthesizes a stack with ECS services", (name) => {
    const file = join(CONFIG, name);
    const { environment, diagnostics } = evaluate(parseEnvironment(file, readFileSync(file)));
    expect(errors(diagnostics)).toEqual([]);
    const stack = synthStack(environment!);
    expect(resources(stack, "aws_ecs_service").length).toBeGreaterThan(0);
  });
});
