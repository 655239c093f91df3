/** File-level problems: each gets one clear line, never an exception. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/config/diagnostics";
import { parseEnvironment } from "../../src/config/load";
import { loadEnvironments } from "../../src/environments";
import { DEV_YAML, ENVS, endOfLife, envFile } from "../helpers";

const messages = (dir: string, only?: string) => loadEnvironments(dir, only).diagnostics.map(formatDiagnostic);

function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "meshform-load-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return relative(process.cwd(), dir);
}

describe("loading environment files", () => {
  it("loads a directory's environments in file-name order", () => {
    const { environments, diagnostics } = loadEnvironments(ENVS);
    expect(diagnostics.map(formatDiagnostic)).toEqual([endOfLife(envFile("dev"))]);
    expect(environments.map((e) => e.name)).toEqual(["dev", "prod", "qa", "staging"]);
  });

  it("loads one environment with `only`", () => {
    expect(loadEnvironments(ENVS, "prod").environments.map((e) => e.name)).toEqual(["prod"]);
  });

  it("says an empty file is empty", () => {
    expect(parseEnvironment("dev.yaml", "# nothing\n").diagnostics.map(formatDiagnostic)).toEqual([
      "dev.yaml:1:1 file is empty; expected a map with environment, project, region, internalDomain, network, mesh and services [MF001]",
    ]);
  });

  it("says a top-level list is not a map", () => {
    expect(parseEnvironment("dev.yaml", "- a\n- b\n").diagnostics.map(formatDiagnostic)).toEqual([
      "dev.yaml:1:1 must be a map, got a list [MF002]",
    ]);
  });

  it("says a config directory is missing", () => {
    expect(messages("no-such-dir")).toEqual(["no-such-dir:1:1 cannot read config directory (ENOENT) [MF001]"]);
  });

  it("says a directory has no environment files", () => {
    const dir = configDir({ "README.md": "hi" });
    expect(messages(dir)).toEqual([`${dir}:1:1 no environment files (*.yaml) in this directory [MF001]`]);
  });

  it("says which environments exist when --env names none of them", () => {
    expect(messages(ENVS, "test")).toEqual([
      "test/fixtures/envs/test.yaml:1:1 no such environment file; environments found: dev, prod, qa, staging [MF001]",
    ]);
  });

  it("says a file cannot be read", () => {
    const dir = configDir({});
    mkdirSync(join(dir, "dev.yaml"));
    expect(messages(dir)).toEqual([`${join(dir, "dev.yaml")}:1:1 cannot read file (EISDIR) [MF001]`]);
  });

  it("reports the problems of every file and resolves none when any file is bad", () => {
    const dir = configDir({
      "dev.yaml": DEV_YAML,
      "qa.yaml": DEV_YAML.replace("environment: dev", "environment: qa").replace("egress: DROP_ALL", "egress: NONE"),
      "uat.yaml": "",
    });
    const result = loadEnvironments(dir);
    expect(result.environments).toEqual([]);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      endOfLife(`${dir}/dev.yaml`),
      endOfLife(`${dir}/qa.yaml`),
      `${dir}/qa.yaml:12:11 mesh.egress: must be one of "DROP_ALL", "ALLOW_ALL", got "NONE" [MF002]`,
      `${dir}/uat.yaml:1:1 file is empty; expected a map with environment, project, region, internalDomain, network, mesh and services [MF001]`,
    ]);
  });
});
