/**
 * A loopback SQS for tests, speaking the protocol @aws-sdk/client-sqs uses (AWS JSON 1.0: POST /,
 * `x-amz-target: AmazonSQS.<Action>`), with the MD5 digests the SDK checks. It records every request so a
 * test can check what went over the wire.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

export interface SqsStub {
  server: Server;
  requests: { action: string; headers: IncomingHttpHeaders; body: Record<string, any> }[];
  messages: Map<string, { id: string; body: string; visibleAt: number }>;
}

export function sqsStub(): SqsStub {
  const requests: SqsStub["requests"] = [];
  const messages: SqsStub["messages"] = new Map();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const body = JSON.parse(Buffer.concat(chunks).toString() || "{}");
    const action = String(req.headers["x-amz-target"] ?? "").replace("AmazonSQS.", "");
    requests.push({ action, headers: req.headers, body });
    const reply = (out: unknown) => res.writeHead(200, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify(out));
    switch (action) {
      case "SendMessage": {
        const id = randomUUID();
        messages.set(id, { id, body: body.MessageBody, visibleAt: 0 });
        return reply({ MessageId: id, MD5OfMessageBody: md5(body.MessageBody) });
      }
      case "ReceiveMessage": {
        const now = Date.now();
        const visible = [...messages.values()].filter((m) => m.visibleAt <= now).slice(0, body.MaxNumberOfMessages ?? 1);
        for (const m of visible) m.visibleAt = now + (body.VisibilityTimeout ?? 30) * 1000;
        return reply({
          Messages: visible.map((m) => ({ MessageId: m.id, ReceiptHandle: `rh-${m.id}`, MD5OfBody: md5(m.body), Body: m.body })),
        });
      }
      case "DeleteMessage":
        messages.delete(String(body.ReceiptHandle).replace(/^rh-/, ""));
        return reply({});
      case "GetQueueAttributes": {
        const now = Date.now();
        const visible = [...messages.values()].filter((m) => m.visibleAt <= now).length;
        return reply({
          Attributes: {
            ApproximateNumberOfMessages: String(visible),
            ApproximateNumberOfMessagesNotVisible: String(messages.size - visible),
          },
        });
      }
      case "GetQueueUrl":
        return reply({ QueueUrl: `http://${req.headers.host}/123456789012/${body.QueueName}` });
      default:
        return res
          .writeHead(400, { "content-type": "application/x-amz-json-1.0" })
          .end(JSON.stringify({ __type: "InvalidAction", message: action }));
    }
  });
  return { server, requests, messages };
}

/** Credentials for the SDK that are obviously not real. */
export const FAKE_AWS = { AWS_ACCESS_KEY_ID: "AKIATESTTESTTESTTEST", AWS_SECRET_ACCESS_KEY: "test-secret", AWS_REGION: "eu-west-1" };
