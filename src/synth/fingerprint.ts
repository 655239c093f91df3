/**
 * Content hashes that decide whether an environment's stack must be synthesized again. A stack is reused
 * only when everything that could change its JSON is the same as when it was written:
 *   - the environment: the config file's bytes (and the name it is shown under, which messages carry), or,
 *     when those changed, the resolved environment they now give (an edited comment changes nothing);
 *   - the generator: meshform's own code as it runs (the bundle, the compiled files, or the sources under a
 *     test runner), which also covers the bundled cdktf and provider;
 *   - the lockfile, for every dependency version; and cdktf's output settings (its version, the context
 *     cdktf's CLI passes through CDKTF_CONTEXT_JSON, JSON rather than HCL).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";

export const sha256 = (...parts: (string | Uint8Array)[]): string => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex");
};

/**
 * The program's code files, relative to where it runs from: the bundle's directory when this module is
 * bundled (the bundle is the whole program), else the tree holding src/ and stacks/.
 */
function codeFiles(): { root: string; files: string[] } {
  const ext = extname(__filename);
  if (basename(__filename, ext) !== "fingerprint") {
    return {
      root: __dirname,
      files: readdirSync(__dirname)
        .filter((n) => n.endsWith(ext))
        .sort(),
    };
  }
  const root = resolve(__dirname, "..", "..");
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(ext)) files.push(path);
    }
  };
  for (const dir of ["src", "stacks"]) if (existsSync(join(root, dir))) walk(dir);
  return { root, files };
}

function lockfile(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, "package-lock.json");
    if (existsSync(file)) return readFileSync(file, "utf8");
    if (dirname(dir) === dir) return "no lockfile";
  }
}

let generator: string | undefined;

/** Meshform's code, its dependencies and cdktf's output settings, as one hash (computed once per process). */
export function generatorHash(): string {
  if (generator) return generator;
  const { root, files } = codeFiles();
  const code = files.map((f) => sha256(f, readFileSync(join(root, f))));
  const settings = JSON.stringify({ cdktf: cdktfVersion(), context: process.env.CDKTF_CONTEXT_JSON ?? null, hcl: false });
  generator = sha256(...code, lockfile(), settings);
  return generator;
}

/** cdktf's version as its manifest records it, read without loading cdktf. */
export function cdktfVersion(): string {
  return (JSON.parse(readFileSync(require.resolve("cdktf/package.json"), "utf8")) as { version: string }).version;
}

/** The key under which a config file's checked result is reused: its name, its bytes, the generator. */
export const sourceKey = (file: string, bytes: Uint8Array): string => sha256("source", generatorHash(), file, bytes);

/** The key under which a stack is reused: the resolved environment it was made from, and the generator. */
export const environmentKey = (environment: unknown): string => sha256("environment", generatorHash(), JSON.stringify(environment));
