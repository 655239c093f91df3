/** The file as YAML: each mistake is one line, in plain words, at the line and column where it is. */
import { describe, expect, it } from "vitest";
import { MAX_EXPANDED_VALUES, MAX_FILE_BYTES } from "../../src/config/yaml";
import { DEV_YAML, edit, resolve, validate } from "../helpers";

const INGESTION = "    cpu: 512\n    memory: 1024\n    desiredCount: 1\n";
const bad = (from: string, to: string) => validate(edit(DEV_YAML, from, to));

describe("YAML syntax, in plain words and once", () => {
  it("names a key indented differently from its siblings, at that key", () => {
    expect(bad(INGESTION, "    cpu: 512\n   memory: 1024\n    desiredCount: 1\n")).toEqual([
      "test/fixtures/envs/dev.yaml:21:4 is indented 3 spaces, but the line above 4; keys of one map must start in the same column",
    ]);
  });

  it("points at an over-indented line, not at the line above it", () => {
    expect(bad(INGESTION, "    cpu: 512\n      memory: 1024\n    desiredCount: 1\n")).toEqual([
      'test/fixtures/envs/dev.yaml:21:7 is indented deeper than "cpu:" on line 20, which already has a value; line it up with "cpu:"',
    ]);
  });

  it("says a tab is not indentation", () => {
    expect(bad(INGESTION, "    cpu: 512\n\tmemory: 1024\n    desiredCount: 1\n")).toEqual([
      "test/fixtures/envs/dev.yaml:21:1 this line is indented with a tab; YAML indents with spaces only",
    ]);
  });

  it("names a duplicated key and where it was first set", () => {
    expect(bad("logRetentionDays: 7", "logRetentionDays: 7\nlogRetentionDays: 14")).toEqual([
      'test/fixtures/envs/dev.yaml:16:1 duplicate key "logRetentionDays": it is already set at line 15, column 1',
    ]);
  });

  it("reports every duplicated key, and checks the rest of the file only once they are gone", () => {
    const text = edit(
      edit(DEV_YAML, "logRetentionDays: 7", "logRetentionDays: 7\nlogRetentionDays: 14"),
      "    cpu: 512\n    memory: 1024\n    desiredCount: 1\n    timeout: 65s",
      "    cpu: 512\n    cpu: 1024\n    memory: 1024\n    desiredCount: 1\n    timeout: 65s",
    );
    expect(validate(text)).toEqual([
      'test/fixtures/envs/dev.yaml:16:1 duplicate key "logRetentionDays": it is already set at line 15, column 1',
      'test/fixtures/envs/dev.yaml:31:5 duplicate key "cpu": it is already set at line 30, column 5',
    ]);
  });

  it("points an unclosed bracket or quote at where it opens", () => {
    expect(bad("  egress: DROP_ALL", "  egress: [DROP_ALL")).toEqual([
      'test/fixtures/envs/dev.yaml:12:11 this list opened with "[" is not closed with "]"',
    ]);
    expect(bad("  egress: DROP_ALL", '  egress: "DROP_ALL')).toEqual([
      'test/fixtures/envs/dev.yaml:12:11 this string\'s opening " is never closed; add the closing "',
    ]);
  });

  it("says a value holding ': ' must be quoted, and a line without ': ' lacks a colon", () => {
    expect(bad("  egress: DROP_ALL", "  egress: DROP_ALL: x")).toEqual([
      'test/fixtures/envs/dev.yaml:12:11 a value cannot contain ": " unless it is quoted; write it in quotes',
    ]);
    expect(bad("    desiredCount: 1\n    timeout: 70s", "    desiredCount 1\n    timeout: 70s")).toEqual([
      'test/fixtures/envs/dev.yaml:22:5 expected "key: value", but this line has no ": "; is a colon missing?',
    ]);
  });

  it("says a file holds one document", () => {
    expect(validate(`${DEV_YAML}---\nfoo: bar\n`)).toEqual([
      'test/fixtures/envs/dev.yaml:44:1 a second document starts here ("---"); an environment file holds one environment: move it to a file of its own',
    ]);
  });
});

describe("aliases and merge keys", () => {
  const head = DEV_YAML.slice(0, DEV_YAML.indexOf("services:\n"));
  const route = "&route { timeout: 65s, retryPolicy: { maxRetries: 12, perRetryTimeout: 5s, httpRetryEvents: [gateway-error] } }";

  it("lets 110 services share one route through an alias", () => {
    const services = Array.from(
      { length: 110 },
      (_, i) => `  s${i}:\n    port: 3000\n    cpu: 512\n    memory: 1024\n    timeout: 65s\n    route: ${i === 0 ? route : "*route"}\n`,
    );
    const env = resolve(`${head}services:\n${services.join("")}`);
    expect(env.services).toHaveLength(110);
    expect(env.services.every((s) => s.route.retryPolicy?.maxRetries === 12)).toBe(true);
  });

  it("supports merge keys, and locates an inherited value where it is written", () => {
    const text = `${head}services:\n  a: &base\n    port: 3000\n    cpu: 300\n    memory: 1024\n  b:\n    <<: *base\n    port: 3001\nimageTag: v1\n`;
    expect(resolve(text.replace("cpu: 300", "cpu: 512")).services.map((s) => [s.name, s.port, s.task.cpu])).toEqual([
      ["a", 3000, 512],
      ["b", 3001, 512],
    ]);
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:19:10 services.a.cpu: must be a Fargate CPU size: one of 256, 512, 1024, 2048, 4096, 8192, 16384, got 300",
      "test/fixtures/envs/dev.yaml:19:10 services.b.cpu: must be a Fargate CPU size: one of 256, 512, 1024, 2048, 4096, 8192, 16384, got 300",
    ]);
  });

  it("refuses an alias bomb at the alias that blows the budget", () => {
    const levels = ['x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 7; i++)
      levels.push(
        `x${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(",")}]`,
      );
    expect(bad("logRetentionDays: 7", `logRetentionDays: 7\n${levels.join("\n")}`)).toEqual([
      `test/fixtures/envs/dev.yaml:21:14 aliases expand this document past ${MAX_EXPANDED_VALUES.toLocaleString("en-US")} values here (aliases inside aliases multiply); share less, or write the values out`,
    ]);
  });

  it("says an alias names no anchor", () => {
    expect(bad("logRetentionDays: 7", "logRetentionDays: *seven")).toEqual([
      "test/fixtures/envs/dev.yaml:15:19 *seven refers to no anchor: define &seven before this alias",
    ]);
  });
});

describe("the file itself", () => {
  it("rejects bytes that are not UTF-8, at their line and column", () => {
    const latin1 = Buffer.from(edit(DEV_YAML, "project: smn-app-mesh-ecs", "project: smn-café"), "latin1");
    expect(validate(latin1)).toEqual([
      "test/fixtures/envs/dev.yaml:4:17 is not UTF-8 text: byte 0xE9 cannot start or continue a character; save the file as UTF-8",
    ]);
  });

  it("refuses a file over the size limit, saying the limit", () => {
    const big = `${DEV_YAML}${"#".repeat(MAX_FILE_BYTES)}\n`;
    expect(validate(big)).toEqual(["test/fixtures/envs/dev.yaml:1:1 file is 258 KiB; environment files are limited to 256 KiB"]);
  });

  it("tells a file whose name is not an environment name to be renamed", () => {
    expect(validate(edit(DEV_YAML, "environment: dev", "environment: Dev"), "Dev.yaml")).toEqual([
      'Dev.yaml:3:14 environment: an environment name must be lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen, at most 63 characters, got "Dev"',
      'Dev.yaml:3:14 environment: comes from the file name, but "Dev" is not a valid environment name (lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen, at most 63 characters): rename the file to dev.yaml',
    ]);
  });

  it("says a key with no value holds nothing", () => {
    expect(bad(INGESTION, "    cpu:\n    memory: 1024\n    desiredCount: 1\n")).toEqual([
      "test/fixtures/envs/dev.yaml:20:9 services.data-ingestion.cpu: must be a Fargate CPU size: one of 256, 512, 1024, 2048, 4096, 8192, 16384, got nothing",
    ]);
  });
});
