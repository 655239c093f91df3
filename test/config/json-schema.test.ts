import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JSON_SCHEMA_PATH, renderJsonSchema } from "../../src/config/json-schema";
import { ENVS } from "../helpers";

describe("editor JSON Schema", () => {
  it("is committed and fresh (run `npm run gen` when this fails)", () => {
    expect(readFileSync(JSON_SCHEMA_PATH, "utf8")).toBe(renderJsonSchema());
  });

  it("describes the config: required fields, enums and defaults", () => {
    const schema = JSON.parse(renderJsonSchema());
    expect(schema.required).toEqual(expect.arrayContaining(["environment", "project", "region", "network", "mesh", "services"]));
    expect(schema.additionalProperties).toBe(false);
    const service = schema.properties.services.additionalProperties;
    expect(service.properties.cpu.enum).toEqual([256, 512, 1024, 2048, 4096, 8192, 16384]);
    expect(service.properties.timeout.default).toBe("15s");
    expect(schema.properties.mesh.properties.egress.enum).toEqual(["DROP_ALL", "ALLOW_ALL"]);
  });

  it("describes every field a user can write, so hovering any key says what it does", () => {
    const undescribed: string[] = [];
    const walk = (node: any, path: string): void => {
      for (const [key, child] of Object.entries<any>(node?.properties ?? {})) {
        const at = path ? `${path}.${key}` : key;
        if (!child.description) undescribed.push(at);
        walk(child, at);
        walk(child.additionalProperties, `${at}.*`);
        walk(child.items, `${at}[]`);
      }
      for (const option of node?.anyOf ?? []) walk(option, path);
    };
    walk(JSON.parse(renderJsonSchema()), "");
    expect(undescribed).toEqual([]);
  });

  it("is referenced from the top of every environment file as shipped, by its path from config/", () => {
    for (const name of readdirSync(ENVS)) {
      const first = readFileSync(join(ENVS, name), "utf8").split("\n")[0];
      expect(first, name).toBe("# yaml-language-server: $schema=../.gen/config.schema.json");
      expect(join("config", first!.slice(first!.indexOf("=") + 1)), name).toBe(JSON_SCHEMA_PATH);
    }
  });
});
