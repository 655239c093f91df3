/**
 * `npm run build:services`: one self-contained file per service (esbuild bundle), which is all a service
 * image carries. Used by the Dockerfiles and by the tests that run the bundles as processes.
 */
import { join } from "node:path";
import { build } from "esbuild";

export const SERVICES = ["data-ingestion", "data-processing"] as const;

/** Writes `<outdir>/<service>/main.js` for every service; `root` is the repository root. */
export async function buildServices(outdir: string, root = process.cwd()): Promise<void> {
  await build({
    entryPoints: SERVICES.map((s) => join(root, "src/services", s, "main.ts")),
    outbase: join(root, "src/services"),
    outdir,
    bundle: true,
    platform: "node",
    target: "node20",
    minify: true,
    logLevel: "warning",
  });
}

if (require.main === module) {
  buildServices(process.argv[2] ?? "dist/services").catch((err: Error) => {
    console.error(`build:services: ${err.message}`);
    process.exit(1);
  });
}
