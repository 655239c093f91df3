#!/usr/bin/env node
"use strict";
/**
 * meshform's launcher, what `npm run synth|validate` and cdktf.json run:
 *   node bin/meshform.js synth|validate [options]
 * It runs the command line from a bundle of the TypeScript sources (dist/bundle/<stamp>/), made with
 * esbuild when any input changed since the last one. The stamp is every input's path, size and
 * modification time, so when nothing changed no source is read and nothing is compiled; a bundle also
 * loads in a fraction of the time of the many modules it replaces (cdktf and the provider classes
 * included). Type checking is not the launcher's job: `npm test` runs tsc over everything first.
 */
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require("node:fs");
const { createRequire, wrap } = require("node:module");
const { dirname, join, relative, resolve } = require("node:path");
const { Script } = require("node:vm");

const ROOT = resolve(__dirname, "..");
const BUNDLES = join(ROOT, "dist", "bundle");
/** What a bundle is made from. */
const INPUT_DIRS = ["src", "stacks"];
const INPUT_FILES = ["package-lock.json", "tsconfig.json", "bin/meshform.js"];
/** The bundle's entry points: the command line, and the synth worker it forks. */
const ENTRIES = { cli: "src/cli.ts", worker: "src/synth/worker.ts" };
/** Bundles kept: the newest, and the one before it (a run that started before a rebuild may still fork its worker). */
const KEEP = 2;

function stamp() {
  const lines = [process.version];
  const add = (path) => {
    const s = statSync(path);
    lines.push(`${relative(ROOT, path)}\t${s.size}\t${s.mtimeMs}`);
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) add(path);
    }
  };
  for (const dir of INPUT_DIRS) walk(join(ROOT, dir));
  for (const file of INPUT_FILES) if (existsSync(join(ROOT, file))) add(join(ROOT, file));
  return createHash("sha256").update(lines.sort().join("\n")).digest("hex").slice(0, 16);
}

/** The directory of an up-to-date bundle, built first if there is none. Safe when several runs build at once. */
function ensureBuilt() {
  const dir = join(BUNDLES, stamp());
  if (existsSync(join(dir, "cli.js"))) return dir;
  const scratch = join(BUNDLES, `.building-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  require("esbuild").buildSync({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, path]) => [name, join(ROOT, path)])),
    outdir: scratch,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    legalComments: "none",
    logLevel: "error",
  });
  writeFileSync(join(scratch, "README"), "Made by bin/meshform.js from src/ and stacks/; safe to delete.\n");
  try {
    renameSync(scratch, dir);
  } catch {
    rmSync(scratch, { recursive: true, force: true }); // another run finished the same bundle first
  }
  prune(dir);
  return dir;
}

function prune(current) {
  const old = readdirSync(BUNDLES)
    .filter((name) => !name.startsWith(".") && join(BUNDLES, name) !== current)
    .map((name) => ({ path: join(BUNDLES, name), mtime: statSync(join(BUNDLES, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { path } of old.slice(KEEP - 1)) rmSync(path, { recursive: true, force: true });
}

/**
 * Runs a bundle file as a CommonJS module would run, with V8's code cache kept beside it (`<name>.cache`):
 * compiling the 4 MB bundle took about as long as running its module initialisation, and a cache made
 * after the first run (it then holds the functions that run compiled too) cuts a process's start by
 * ~0.15 s. A cache V8 rejects (another Node version) is replaced; writes go through a rename, so runs at
 * once never read half a file.
 */
function loadBundle(dir, name) {
  const file = join(dir, `${name}.js`);
  const cacheFile = join(dir, `${name}.cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first run of this bundle
  }
  const script = new Script(wrap(readFileSync(file, "utf8")), { filename: file, cachedData });
  const mod = { exports: {}, id: file, filename: file, loaded: false };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  if (!cachedData || script.cachedDataRejected) {
    process.once("exit", () => {
      try {
        const scratch = `${cacheFile}.${process.pid}`;
        writeFileSync(scratch, script.createCachedData());
        renameSync(scratch, cacheFile);
      } catch {
        // a cache is an optimisation: without one the next run compiles again
      }
    });
  }
  return mod.exports;
}

module.exports = { ensureBuilt };

if (require.main === module) {
  if (process.argv[2] === "--worker") {
    // A synth worker of the bundle in argv[3] (src/synth/pool.ts forks it so).
    loadBundle(process.argv[3], "worker").serve();
  } else {
    let dir;
    try {
      dir = ensureBuilt();
    } catch (err) {
      console.error(`meshform: cannot build the command line: ${err.message}`);
      process.exit(2);
    }
    process.env.MESHFORM_LAUNCHER = __filename;
    loadBundle(dir, "cli").main(process.argv.slice(2));
  }
}
