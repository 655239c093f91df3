/** The SQS adapter's requests, on the wire, against a loopback SQS speaking the SDK's protocol. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeadLetter } from "../../../../src/services/shared/dead-letters/dead-letters";
import { regionOf, SqsDeadLetterQueue } from "../../../../src/services/shared/dead-letters/sqs-queue";
import { start } from "../../helpers";
import { FAKE_AWS, sqsStub } from "../../sqs-stub";

const saved = { ...process.env };
beforeEach(() => Object.assign(process.env, FAKE_AWS));
afterEach(() => {
  for (const k of Object.keys(FAKE_AWS)) delete process.env[k];
  Object.assign(process.env, saved);
});

const letter: DeadLetter = {
  target: "data-processing",
  requestId: "r-1",
  reason: "budget",
  detail: "the retry budget is spent",
  attempts: 1,
  failedAt: "2026-11-23T10:00:00.000Z",
  reading: { vehicle_id: "EV-1" },
  headers: { traceparent: "00-a-b-01" },
};

describe("the SQS dead-letter queue", () => {
  it("sends a letter as one SendMessage to the queue URL, the letter as its JSON body", async () => {
    const stub = sqsStub();
    const base = await start(stub.server);
    const queue = new SqsDeadLetterQueue(`${base}/123456789012/dev-dead-letters`);
    const id = await queue.send(letter);
    expect(stub.requests.map((r) => r.action)).toEqual(["SendMessage"]);
    const [sent] = stub.requests;
    expect(sent!.headers["content-type"]).toBe("application/x-amz-json-1.0");
    expect(sent!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATESTTESTTESTTEST\/\d{8}\/eu-west-1\/sqs\/aws4_request/);
    expect(sent!.body).toEqual({ QueueUrl: `${base}/123456789012/dev-dead-letters`, MessageBody: JSON.stringify(letter) });
    expect(stub.messages.get(id)?.body).toBe(JSON.stringify(letter));
    await queue.close();
  });

  it("receives with a visibility timeout, deletes by receipt handle, and counts in-flight letters as remaining", async () => {
    const stub = sqsStub();
    const queue = new SqsDeadLetterQueue(`${await start(stub.server)}/123456789012/q`);
    await queue.send(letter);
    await queue.send({ ...letter, requestId: "r-2" });
    const got = await queue.receive(10);
    expect(got.map((g) => g.letter.requestId)).toEqual(["r-1", "r-2"]);
    expect(stub.requests.find((r) => r.action === "ReceiveMessage")!.body).toMatchObject({
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 120,
      WaitTimeSeconds: 1,
    });
    expect(await queue.count()).toBe(2); // both in flight, neither deleted
    await queue.delete(got[0]!.handle);
    expect(stub.requests.find((r) => r.action === "DeleteMessage")!.body).toMatchObject({ ReceiptHandle: got[0]!.handle });
    expect(await queue.count()).toBe(1);
    await queue.close();
  });

  it("takes its region from the queue URL", () => {
    expect(regionOf("https://sqs.eu-west-1.amazonaws.com/123456789012/q")).toBe("eu-west-1");
  });
});
