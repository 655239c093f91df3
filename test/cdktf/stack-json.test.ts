/** The stack's JSON computed without cdktf's redundant passes is cdktf's own, value for value. */
import { DefaultTokenResolver, StringConcat, TerraformStack, TerraformVariable, Testing, Tokenization } from "cdktf";
import stringify from "json-stable-stringify";
import { describe, expect, it } from "vitest";
import { deepMerge, resolveValue } from "../../src/cdktf/stack-json";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { resolveEnv } from "../helpers";

const cdktfResolve = (scope: TerraformStack, value: unknown) =>
  Tokenization.resolve(value, { scope, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });

describe("EnvironmentStack.toTerraform()", () => {
  it.each(["dev", "staging", "prod"])("is TerraformStack.toTerraform() for %s, byte for byte as written", (env) => {
    const stack = new EnvironmentStack(Testing.app(), resolveEnv(env));
    const ours = stringify(stack.toTerraform(), { space: 2 });
    expect(ours).toBe(stringify(TerraformStack.prototype.toTerraform.call(stack), { space: 2 }));
    expect(ours).toContain('"${aws_ecs_cluster.cluster_'); // references were resolved, not left as tokens
    expect(ours).not.toContain("TfToken");
  });

  it("carries the stack's own overrides (the S3 backend's use_lockfile, the provider's pin, Service Connect's access logs) and names them in the metadata", () => {
    const stack = new EnvironmentStack(Testing.app(), resolveEnv("prod"));
    const json = stack.toTerraform() as {
      terraform: { backend: { s3: Record<string, unknown> } };
      "//": { metadata: Record<string, unknown> };
    };
    expect(json.terraform.backend.s3.use_lockfile).toBe(true);
    expect(json["//"].metadata.overrides).toEqual({
      stack: ["terraform"],
      aws_ecs_service: ["service_connect_configuration", "service_connect_configuration"],
    });
  });
});

describe("resolveValue", () => {
  const stack = () => {
    const s = new TerraformStack(Testing.app(), "s");
    return { stack: s, v: new TerraformVariable(s, "v", {}) };
  };

  it("resolves every kind of token cdktf resolves, where cdktf would", () => {
    const { stack: s, v } = stack();
    const value = {
      string: v.stringValue,
      inText: `prefix-${v.stringValue}-suffix`,
      number: v.numberValue,
      numberInText: `port ${v.numberValue}`,
      list: v.listValue,
      listWithToken: [v.stringValue, "plain"],
      mapKey: { [v.stringValue]: 1 },
      nested: { deeper: [{ x: v.stringValue }, { y: "plain" }] },
      lookalike: "vpc-0a1b2c3d4e5f60718 1e5 ${not.a.token}",
      huge: 1e300,
      dropped: undefined,
      holes: [undefined, 1],
      flag: false,
      nothing: null,
    };
    const ours = resolveValue(s, value);
    expect(ours).toEqual(cdktfResolve(s, value));
    expect(JSON.stringify(ours)).toBe(JSON.stringify(cdktfResolve(s, value)));
    expect(ours).toMatchObject({ string: "${var.v}", inText: "prefix-${var.v}-suffix", listWithToken: ["${var.v}", "plain"], holes: [1] });
  });

  it("returns what holds no token as it is, and copies only the path to a token", () => {
    const { stack: s, v } = stack();
    const plain = { a: { b: [1, "x", { c: true }] }, d: "e" };
    expect(resolveValue(s, plain)).toBe(plain);
    const token = v.stringValue;
    const mixed = { untouched: { b: [1, 2] }, touched: { t: token } };
    const out = resolveValue(s, mixed) as typeof mixed;
    expect(out).not.toBe(mixed);
    expect(out.untouched).toBe(mixed.untouched);
    expect(out.touched).toEqual({ t: "${var.v}" });
    expect(mixed.touched.t).toBe(token); // the input is not changed
  });

  it("leaves cdktf's own errors to cdktf: a construct in a value is refused as cdktf refuses it", () => {
    const { stack: s, v } = stack();
    expect(() => resolveValue(s, { construct: v })).toThrow(/construct/i);
  });
});

describe("deepMerge", () => {
  it("merges objects key by key, concatenates arrays, deletes on undefined", () => {
    const target = { a: { x: 1, list: [1] }, gone: 1, keep: "k" };
    expect(deepMerge(target, { a: { y: 2, list: [2] }, gone: undefined })).toEqual({ a: { x: 1, y: 2, list: [1, 2] }, keep: "k" });
  });
});
