/** What decides whether a stack is made again. */
import { describe, expect, it } from "vitest";
import { environmentKey, generatorHash, sourceKey } from "../../src/synth/fingerprint";

describe("fingerprints", () => {
  it("key a config file by its name and its bytes", () => {
    const bytes = Buffer.from("environment: dev\n");
    expect(sourceKey("config/dev.yaml", bytes)).toBe(sourceKey("config/dev.yaml", Buffer.from("environment: dev\n")));
    expect(sourceKey("config/dev.yaml", bytes)).not.toBe(sourceKey("other/dev.yaml", bytes));
    expect(sourceKey("config/dev.yaml", bytes)).not.toBe(sourceKey("config/dev.yaml", Buffer.from("environment: dev \n")));
  });

  it("key an environment by its resolved value, not by where it came from", () => {
    expect(environmentKey({ name: "dev", services: [1] })).toBe(environmentKey({ name: "dev", services: [1] }));
    expect(environmentKey({ name: "dev", services: [1] })).not.toBe(environmentKey({ name: "dev", services: [2] }));
  });

  it("include the generator: this code, the lockfile and cdktf's settings", () => {
    expect(generatorHash()).toMatch(/^[0-9a-f]{64}$/);
    expect(sourceKey("f", Buffer.from("x"))).not.toBe(environmentKey("x")); // the two kinds of key never collide
  });
});
