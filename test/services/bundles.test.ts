/**
 * The bundles the images carry, run as real processes: they start from one file with no node_modules,
 * meshform's generated health check passes against them, and SIGTERM drains in-flight requests.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listen } from "../../src/services/shared/http";
import { DEV_YAML, edit, resolve } from "../helpers";
import { one, synthStack } from "../stack-helpers";
import { post, READING, serviceBundles, start } from "./helpers";

let dir: string;
beforeAll(async () => {
  dir = await serviceBundles();
});

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s, 0, "127.0.0.1");
  await new Promise((r) => s.close(r));
  return port;
}

/** Starts a bundle from a directory with no node_modules; resolves once it logs that it listens. */
function run(service: string, env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [join(dir, service, "main.js")], { cwd: dir, env: { PATH: process.env.PATH!, ...env } });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", () => output.includes('"event":"listening"') && resolve({ child, output: () => output }));
    child.once("exit", (code) => reject(new Error(`${service} exited with ${code}: ${output}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((r) => child.once("exit", (code) => r(code)));

describe("service bundles", () => {
  it("are single files that carry no cdktf", () => {
    for (const service of ["data-ingestion", "data-processing"]) {
      expect(readdirSync(join(dir, service))).toEqual(["main.js"]);
      const code = readFileSync(join(dir, service, "main.js"), "utf8");
      expect(code).not.toMatch(/cdktf|@cdktf\/provider-aws/);
    }
  });

  it("pass the health check meshform puts in the task definition (node, not curl), and fail it when down", async () => {
    const port = await freePort();
    const env = resolve(edit(DEV_YAML, "  data-processing:\n    port: 3000", `  data-processing:\n    port: ${port}`));
    const task = one(synthStack(env), "aws_ecs_task_definition", (t) => t.family === "dev-smn-app-mesh-ecs-data-processing");
    const [command, ...args] = JSON.parse(task.container_definitions)[0].healthCheck.command.slice(1);
    const check = () => spawnSync(command, args, { timeout: 5000 }).status;

    const { child } = await run("data-processing", { APP_PORT: String(port) });
    try {
      expect(check()).toBe(0);
    } finally {
      child.kill("SIGTERM");
      await exited(child);
    }
    expect(check()).toBe(1);
  });

  it("wire FAULT_503_RATE from the environment", async () => {
    const port = await freePort();
    const { child } = await run("data-processing", { APP_PORT: String(port), FAULT_503_RATE: "1" });
    try {
      expect((await post(`http://127.0.0.1:${port}/ev`)).status).toBe(503);
    } finally {
      child.kill("SIGTERM");
      await exited(child);
    }
  });

  it("drain in-flight requests on SIGTERM and exit 0", async () => {
    const slowUpstream = createServer((_req, res) => {
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end('{"slow":true}'), 400);
    });
    const upstream = await start(slowUpstream);
    const port = await freePort();
    const { child, output } = await run("data-ingestion", { APP_PORT: String(port), DATA_PROCESSING_URL: upstream });
    const inFlight = post(`http://127.0.0.1:${port}/ev`, READING);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    child.kill("SIGTERM");
    expect(await inFlight).toMatchObject({ status: 200, body: { slow: true } });
    expect(await exited(child)).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(output()).toContain('"event":"shutdown","signal":"SIGTERM"');
  });

  it("refuse to start data-ingestion without a way to reach data-processing", async () => {
    await expect(run("data-ingestion", { APP_PORT: String(await freePort()) })).rejects.toThrow(/exited with 1.*set DATA_PROCESSING_URL/);
  });
});
