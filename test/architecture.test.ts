/**
 * The shape of the code, kept: data flows one way, from the config through the providers and constructs to the
 * stacks and the commands. Read from the sources' import statements (type-only imports are erased at run time
 * and may point anywhere; every other import must point down the layers, and never in a cycle).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOTS = ["src", "stacks"];

/** From the lowest layer up: a module may import (at run time) only from its own layer or below. */
const LAYERS: [name: string, matches: (file: string) => boolean][] = [
  ["cdktf boundary", (f) => f.startsWith("src/cdktf/")],
  ["config", (f) => f.startsWith("src/config/")],
  ["constructs", (f) => f.startsWith("src/constructs/")],
  ["providers", (f) => f.startsWith("src/providers/") && f !== "src/providers/index.ts"],
  ["registry", (f) => f === "src/providers/index.ts" || f === "src/rule-catalogue.ts"],
  ["environments and stacks", (f) => f === "src/environments.ts" || f.startsWith("stacks/")],
  ["commands", () => true],
];
const layerOf = (file: string) => LAYERS.findIndex(([, matches]) => matches(file));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** The project-local imports of a file: `import … from`, `export … from` and `import()`, resolved to files. */
function importsOf(file: string): Edge[] {
  const text = readFileSync(file, "utf8");
  const edges: Edge[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    if (!spec.startsWith(".")) return;
    const base = normalize(join(dirname(file), spec)).replace(/\.js$/, "");
    const to = [`${base}.ts`, join(base, "index.ts")].find((p) => files.has(p));
    if (to) edges.push({ from: file, to, typeOnly });
  };
  for (const m of text.matchAll(/^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+"([^"]+)"/gms)) {
    const names = m[3]!;
    // `import { type A, type B } from` is erased as a whole, like `import type`.
    const allTypes =
      /^\{[^}]*\}$/s.test(names.trim()) &&
      names
        .replace(/[{}\s]/g, "")
        .split(",")
        .filter(Boolean)
        .every((n) => n.startsWith("type"));
    add(m[4]!, m[2] !== undefined || allTypes);
  }
  for (const m of text.matchAll(/import\("([^"]+)"\)/g)) add(m[1]!, false);
  return edges;
}

const files = new Set(ROOTS.flatMap(sources).map((f) => relative(".", f)));
const edges = [...files].flatMap(importsOf);
const runtime = edges.filter((e) => !e.typeOnly);

describe("the import graph", () => {
  it("is read from every source file", () => {
    expect(files.size).toBeGreaterThan(100);
    expect(runtime.length).toBeGreaterThan(200);
  });

  it("points down the layers: config never imports constructs, providers or commands, and so on", () => {
    const upward = runtime.filter((e) => layerOf(e.to) > layerOf(e.from)).map((e) => `${e.from} → ${e.to} (${LAYERS[layerOf(e.to)]![0]})`);
    expect(upward).toEqual([]);
  });

  it("has no cycles but through type-only imports", () => {
    const next = new Map<string, string[]>();
    for (const e of runtime) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        cycles.push([...path.slice(path.indexOf(f)), f].join(" → "));
        return;
      }
      state.set(f, "open");
      for (const to of next.get(f) ?? []) visit(to, [...path, f]);
      state.set(f, "done");
    };
    for (const f of [...files].sort()) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it("keeps each provider to its own folder: providers import neither each other nor the registry", () => {
    const folder = (f: string) => /^src\/providers\/([^/]+)\//.exec(f)?.[1];
    const crossing = edges.filter((e) => {
      const [a, b] = [folder(e.from), folder(e.to)];
      return (a !== undefined && b !== undefined && a !== b) || (a !== undefined && e.to === "src/providers/index.ts");
    });
    expect(crossing.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it("imports the AWS provider's classes by deep path only (the package root loads every class)", () => {
    const roots = [...files].filter((f) => /from "@cdktf\/provider-aws"|require\("@cdktf\/provider-aws"\)/.test(readFileSync(f, "utf8")));
    expect(roots).toEqual([]);
  });

  it("imports cdktf's internals (lib/...) nowhere but src/cdktf/", () => {
    const internal = [...files].filter((f) => !f.startsWith("src/cdktf/") && /from "cdktf\/lib\//.test(readFileSync(f, "utf8")));
    expect(internal).toEqual([]);
  });
});

describe("provider ids", () => {
  it("appear outside src/providers/ only in the schema's enum", () => {
    const ID = /["'](appmesh|service-connect|vpc-lattice)["']/;
    const found = [...files].filter(
      (f) => !f.startsWith("src/providers/") && f !== "src/config/schema.ts" && ID.test(readFileSync(f, "utf8")),
    );
    expect(found).toEqual([]);
  });
});
