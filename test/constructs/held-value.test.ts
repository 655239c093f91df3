/** A held value: cdktf's terraform_data as cdktf writes it, without the validation that runs Terraform at synth. */
import childProcess from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataResource, TerraformStack, Testing } from "cdktf";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { synthesizeApp } from "../../src/cdktf/synthesize-app";
import { HeldValue } from "../../src/constructs/held-value";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { resolve } from "../helpers";
import { trafficYaml } from "../traffic-yaml";

afterEach(() => vi.restoreAllMocks());

describe("HeldValue", () => {
  it("is written exactly as cdktf's DataResource with the same input", () => {
    const synth = (make: (stack: TerraformStack) => void) => {
      const stack = new TerraformStack(Testing.app(), "test");
      make(stack);
      return JSON.parse(Testing.synth(stack)).resource.terraform_data;
    };
    const input = { appProtocol: "grpc" };
    expect(synth((s) => new HeldValue(s, "held", input))).toEqual(synth((s) => new DataResource(s, "held", { input })));
  });

  it("lets a stack holding one synthesize without starting a process (cdktf's DataResource runs `terraform version`)", () => {
    const spawn = vi.spyOn(childProcess, "spawnSync");
    const exec = vi.spyOn(childProcess, "execSync");
    const outdir = mkdtempSync(join(tmpdir(), "meshform-held-"));
    onTestFinished(() => rmSync(outdir, { recursive: true, force: true }));
    // As synth writes a stack: with cdktf's validations, which is where DataResource's runs Terraform.
    const env = resolve(trafficYaml({ worker: "    protocol: tcp" }));
    const { written } = synthesizeApp(env.name, outdir, (app) => new EnvironmentStack(app, env));
    expect(Object.keys(JSON.parse(written.toString()).resource.terraform_data)).toHaveLength(2);
    expect([spawn.mock.calls.length, exec.mock.calls.length]).toEqual([0, 0]);
  });
});
