/**
 * The bundles the images carry, run as real processes: they start from one file with no node_modules,
 * meshform's generated health check passes against them, and SIGTERM drains in-flight requests.
 * Nothing here is timed: how fast they start and answer is `npm run bench:services`'s to say.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listen } from "../../src/services/shared/http";
import { DEV_YAML, edit, resolve } from "../helpers";
import { one, synthStack } from "../stack-helpers";
import { post, READING, serviceBundles, start } from "./helpers";

const dir = serviceBundles();

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s, 0, "127.0.0.1");
  await new Promise((r) => s.close(r));
  return port;
}

interface Running {
  child: ChildProcess;
  /** Where it listens (APP_PORT=0: a port of its choosing, read from its "listening" line). */
  url: string;
  output: () => string;
}

/** Starts a bundle from a directory with no node_modules; resolves once it logs that it listens. */
function run(service: string, env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [join(dir, service, "main.js")], {
    cwd: dir,
    env: { PATH: process.env.PATH!, APP_PORT: "0", ...env },
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", () => {
      const port = /"event":"listening","port":(\d+)/.exec(output)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}`, output: () => output });
    });
    // "close": once its output is all read ("exit" may come before its last lines).
    child.once("close", (code) => reject(new Error(`${service} exited with ${code}: ${output}`)));
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise<number | null>((r) => child.once("exit", (code) => r(code)));

/** Resolves once `child` has printed `text`. */
const printed = (running: Running, text: string) =>
  new Promise<void>((resolve) => {
    const check = () => running.output().includes(text) && resolve();
    check();
    running.child.stdout!.on("data", check);
  });

/** Each test starts processes: Node's start-up on a busy 2-core machine is seconds, not milliseconds. */
describe("service bundles", { timeout: 30_000 }, () => {
  it("are single files that carry no cdktf", () => {
    for (const service of ["data-ingestion", "data-processing"]) {
      expect(readdirSync(join(dir, service))).toEqual(["main.js"]);
      const code = readFileSync(join(dir, service, "main.js"), "utf8");
      expect(code).not.toMatch(/cdktf|@cdktf\/provider-aws/);
    }
  });

  it("pass the health check meshform puts in the task definition (node, not curl), and fail it when down", async () => {
    const port = await freePort(); // the health check names the port the task definition gives the app
    const env = resolve(edit(DEV_YAML, "  data-processing:\n    port: 3000", `  data-processing:\n    port: ${port}`));
    const task = one(synthStack(env), "aws_ecs_task_definition", (t) => t.family === "dev-smn-app-mesh-ecs-data-processing");
    const [command, ...args] = JSON.parse(task.container_definitions)[0].healthCheck.command.slice(1);
    const check = () => spawnSync(command, args, { timeout: 20_000 }).status; // a guard: spawnSync blocks the test's own timeout

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
    const { child, url } = await run("data-processing", { FAULT_503_RATE: "1" });
    try {
      expect((await post(`${url}/ev`)).status).toBe(503);
    } finally {
      child.kill("SIGTERM");
      await exited(child);
    }
  });

  it("drain in-flight requests on SIGTERM and exit 0", async () => {
    // data-processing answers only once the test says so, after data-ingestion has been told to stop.
    let held: (res: ServerResponse) => void;
    const arrived = new Promise<ServerResponse>((resolve) => (held = resolve));
    const upstream = await start(createServer((_req, res) => held(res)));
    // A drain cut short by its timeout exits 1; this one is longer than the test, so 0 says the drain finished.
    const ingestion = await run("data-ingestion", { DATA_PROCESSING_URL: upstream, SHUTDOWN_TIMEOUT_MS: "120000" });
    const inFlight = post(`${ingestion.url}/ev`, READING);
    const res = await arrived;
    ingestion.child.kill("SIGTERM");
    await printed(ingestion, '"event":"shutdown","signal":"SIGTERM"');
    res.writeHead(200, { "content-type": "application/json" }).end('{"slow":true}');
    expect(await inFlight).toMatchObject({ status: 200, body: { slow: true } });
    expect(await exited(ingestion.child)).toBe(0);
  });

  it("refuse to start data-ingestion without a way to reach data-processing", async () => {
    await expect(run("data-ingestion", {})).rejects.toThrow(/exited with 1.*set DATA_PROCESSING_URL/);
  });
});
