/**
 * `npm run diagram -- --svg FILE`: renders the Mermaid graph to SVG offline with mermaid-cli and a local
 * Chromium, neither of which meshform depends on (they are hundreds of MB): `MERMAID_CLI` names the `mmdc`
 * executable (else `mmdc` on the PATH), `CHROMIUM` the browser (else /usr/bin/chromium). Labels are plain SVG
 * text, so any viewer, GitHub's image renderer included, shows them.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class RenderError extends Error {}

const HOW =
  "render it with mermaid-cli and Chromium: apt-get install chromium; PUPPETEER_SKIP_DOWNLOAD=1 npm install @mermaid-js/mermaid-cli (anywhere); then set MERMAID_CLI to its node_modules/.bin/mmdc";

export function renderSvg(mermaidText: string, out: string, env: NodeJS.ProcessEnv = process.env): void {
  const mmdc = env.MERMAID_CLI || "mmdc";
  const chromium = env.CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(chromium)) throw new RenderError(`--svg: no Chromium at ${chromium} (set CHROMIUM); ${HOW}`);
  const dir = mkdtempSync(join(tmpdir(), "meshform-svg-"));
  try {
    writeFileSync(join(dir, "graph.mmd"), mermaidText);
    writeFileSync(join(dir, "puppeteer.json"), JSON.stringify({ executablePath: chromium, args: ["--no-sandbox", "--disable-gpu"] }));
    writeFileSync(join(dir, "mermaid.json"), JSON.stringify({ flowchart: { htmlLabels: false, wrappingWidth: 400 }, htmlLabels: false }));
    const run = spawnSync(
      mmdc,
      ["-p", join(dir, "puppeteer.json"), "-c", join(dir, "mermaid.json"), "-i", join(dir, "graph.mmd"), "-o", out, "-b", "white"],
      {
        encoding: "utf8",
        env: { ...env, PUPPETEER_SKIP_DOWNLOAD: "1" },
      },
    );
    if (run.error) throw new RenderError(`--svg: cannot run ${mmdc} (${(run.error as NodeJS.ErrnoException).code}); ${HOW}`);
    if (run.status !== 0)
      throw new RenderError(`--svg: ${mmdc} failed: ${(run.stderr || run.stdout).trim().split("\n").slice(-3).join(" ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
