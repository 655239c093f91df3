/** Routes as VPC Lattice listener rules, as data: what becomes a rule, what the default action is. */
import { describe, expect, it } from "vitest";
import { routing } from "../../../src/providers/vpc-lattice/routing";
import { edit, resolve } from "../../helpers";
import { LATTICE_FILE, LATTICE_YAML } from "./lattice-yaml";

const serviceOf = (text: string, name: string) => resolve(text, LATTICE_FILE).services.find((s) => s.name === name)!;

describe("routing", () => {
  it("spends no rule on a service with one route to every path: the default action forwards", () => {
    expect(routing(serviceOf(LATTICE_YAML, "worker"))).toEqual({ rules: [], fallback: { targets: [{ weight: 100 }] } });
  });

  it("makes the shorthand route's prefix a rule at its priority, and answers 404 elsewhere", () => {
    const text = edit(LATTICE_YAML, "    route: { timeout: 30s,", "    route: { prefix: /jobs, priority: 7, timeout: 30s,");
    expect(routing(serviceOf(text, "worker"))).toEqual({
      rules: [{ name: "route-path", priority: 7, match: { path: { prefix: "/jobs" }, headers: [] }, targets: [{ weight: 100 }] }],
      fallback: { status: 404 },
    });
  });

  it("orders rules by priority, matches a method alone without a path, and keeps a catch-all that is not last as a rule", () => {
    const text = edit(
      edit(LATTICE_YAML, "match: { method: POST, path: { exact: /orders } }", "match: { method: DELETE }"),
      "      - { name: main, priority: 40,",
      "      - { name: early, priority: 5, to: { v1: 100 }, timeout: 20s }\n      - { name: main, priority: 40,",
    );
    const { rules, fallback } = routing(serviceOf(text, "api"));
    expect(rules.map((r) => [r.name, r.priority, r.match])).toEqual([
      ["route-early", 5, { path: { prefix: "/" }, headers: [] }],
      [
        "route-beta",
        10,
        {
          headers: [
            { name: "x-beta-user", match: { exact: "true" } },
            { name: "x-tenant", match: { prefix: "acme-" } },
          ],
        },
      ],
      ["route-orders", 20, { method: "DELETE", headers: [] }],
      ["route-legacy", 30, { path: { prefix: "/legacy" }, headers: [] }],
    ]);
    expect(fallback).toEqual({
      targets: [
        { version: "v1", weight: 90 },
        { version: "v2", weight: 10 },
      ],
    });
  });
});
