/** Redrive: dead letters replayed with the retry policy, each removed only once delivered. */
import { cpSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Upstream } from "../../../src/services/data-ingestion/upstream";
import { createProcessingApp } from "../../../src/services/data-processing/app";
import { redrive } from "../../../src/services/redrive/redrive";
import type { CallPolicy } from "../../../src/services/shared/call-policy";
import type { DeadLetter } from "../../../src/services/shared/dead-letters/dead-letters";
import { FileDeadLetterQueue } from "../../../src/services/shared/dead-letters/file-queue";
import { SqsDeadLetterQueue } from "../../../src/services/shared/dead-letters/sqs-queue";
import { ENVS, envFile } from "../../helpers";
import { runCli } from "../../process";
import { FakeClock } from "../clock";
import { READING, start, tempDir } from "../helpers";
import { FAKE_AWS, sqsStub } from "../sqs-stub";

const letter = (requestId: string): DeadLetter => ({
  target: "data-processing",
  requestId,
  reason: "retries-exhausted",
  detail: "every try failed",
  attempts: 13,
  failedAt: "2026-11-23T10:00:00.000Z",
  reading: { ...READING, timestamp: "2024-05-01T12:00:00.000Z" },
  headers: { traceparent: "00-a-b-01" },
});

const POLICY: CallPolicy = {
  deadlineMs: 5_000,
  maxRetries: 3,
  perTryTimeoutMs: 1_000,
  retryOn: new Set(["gateway-error"]),
  backoff: { baseMs: 5, capMs: 20 },
};

/** data-processing that fails each request id's first try with 503, and refuses one id with 422. */
function flaky() {
  const tries = new Map<string, number>();
  const seen: { id: string; traceparent: unknown }[] = [];
  const server = createServer((req, res) => {
    req.resume();
    const id = String(req.headers["x-request-id"]);
    seen.push({ id, traceparent: req.headers.traceparent });
    tries.set(id, (tries.get(id) ?? 0) + 1);
    const status = id === "refused" ? 422 : tries.get(id) === 1 ? 503 : 200;
    res.writeHead(status, { "content-type": "application/json" }).end("{}");
  });
  return { server, seen };
}

const fileQueue = () => new FileDeadLetterQueue(join(tempDir("redrive"), "dead-letters.jsonl"));

describe("redrive", () => {
  it("delivers each letter with its request id and tracing, retrying as the policy says, and removes only the delivered", async () => {
    const queue = fileQueue();
    for (const id of ["a", "b", "refused", "c"]) await queue.send(letter(id));
    const backend = flaky();
    const upstream = new Upstream(new URL("/ev", await start(backend.server)));
    const clock = new FakeClock(() => 0.999999);
    const result = await redrive(queue, { upstream, policy: POLICY, clock });
    await upstream.close();
    expect(result).toEqual({ redriven: 3, kept: 1, remaining: 1 });
    expect(clock.sleeps).toEqual([4, 4, 4]); // one pause before each 503'd letter's second try, up to the 5 ms base
    expect(backend.seen.filter((s) => s.id === "a")).toEqual([
      { id: "a", traceparent: "00-a-b-01" },
      { id: "a", traceparent: "00-a-b-01" },
    ]);
    expect((await fileQueue().receive(1)).length).toBe(0);
    expect((await new FileDeadLetterQueue(queue.path).receive(10)).map((r) => r.letter.requestId)).toEqual(["refused"]);
  });

  it("does not count a reading twice that data-processing had processed before it was dead-lettered", async () => {
    const processing = await start(createProcessingApp({ log: () => {} }));
    await fetch(`${processing}/ev`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "a" },
      body: JSON.stringify(READING),
    });
    const queue = fileQueue();
    await queue.send(letter("a"));
    await queue.send(letter("b"));
    const upstream = new Upstream(new URL("/ev", processing));
    expect(await redrive(queue, { upstream, policy: POLICY, clock: new FakeClock() })).toEqual({ redriven: 2, kept: 0, remaining: 0 });
    await upstream.close();
    expect(await (await fetch(`${processing}/stats`)).json()).toMatchObject({ processed: 2, duplicates: 1 });
  });
});

describe("npm run redrive", { timeout: 30_000 }, () => {
  it("--local replays the harness's queue to the harness's data-processing and says what it did", async () => {
    const cwd = tempDir("redrive-cli");
    mkdirSync(join(cwd, "config"));
    cpSync(envFile("dev"), join(cwd, "config/dev.yaml"));
    const queue = new FileDeadLetterQueue(join(cwd, ".meshform/local/dead-letters.jsonl"));
    for (const id of ["a", "b"]) await queue.send(letter(id));
    await queue.close();
    const processing = await start(createProcessingApp({ log: () => {} }));
    const r = await runCli(["--local", "--quiet"], {
      cwd,
      env: { PROCESSING_PORT: new URL(processing).port },
      script: "dist/src/services/redrive/main.js",
    });
    expect(r.stdout).toBe(
      `redrive: 2 redriven to http://127.0.0.1:${new URL(processing).port}, 0 kept (still failing), 0 remain in .meshform/local/dead-letters.jsonl\n`,
    );
    expect(r.code).toBe(0);
  });

  it("--env replays an environment's SQS queue to --to, deleting what it delivered", async () => {
    const stub = sqsStub();
    const sqs = await start(stub.server);
    const queueUrl = `${sqs}/123456789012/staging-smn-app-mesh-ecs-dead-letters`;
    const queue = new SqsDeadLetterQueue(queueUrl, {
      credentials: { accessKeyId: FAKE_AWS.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE_AWS.AWS_SECRET_ACCESS_KEY },
    });
    await queue.send(letter("x"));
    await queue.close();
    const processing = await start(createProcessingApp({ log: () => {} }));
    const r = await runCli(["--env", "staging", "--config-dir", ENVS, "--queue-url", queueUrl, "--to", processing, "--quiet"], {
      cwd: process.cwd(),
      env: FAKE_AWS,
      script: "dist/src/services/redrive/main.js",
    });
    expect(r.stdout).toBe(`redrive: 1 redriven to ${processing}, 0 kept (still failing), 0 remain in ${queueUrl}\n`);
    expect(stub.requests.map((q) => q.action)).toEqual([
      "SendMessage",
      "ReceiveMessage",
      "DeleteMessage",
      "ReceiveMessage",
      "GetQueueAttributes",
    ]);
    expect(r.code).toBe(0);
  });
});
