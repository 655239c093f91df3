/**
 * The dead-letter queue in AWS: the environment's SQS queue (meshform gives its URL as DEAD_LETTER_QUEUE_URL).
 * The client talks to the queue URL's own host, so a loopback SQS serves tests the same way.
 */
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type SQSClientConfig,
} from "@aws-sdk/client-sqs";
import type { DeadLetter, DeadLetterQueue, Received } from "./dead-letters";

/** While a received letter is being redriven, others do not see it; undelivered, it comes back after this. */
const VISIBILITY_TIMEOUT_S = 120;

/** `https://sqs.eu-west-1.amazonaws.com/…` → `eu-west-1`. */
export const regionOf = (queueUrl: string) => /^https?:\/\/sqs[.-]([a-z0-9-]+)\./.exec(queueUrl)?.[1];

export class SqsDeadLetterQueue implements DeadLetterQueue {
  private readonly client: SQSClient;

  constructor(
    readonly queueUrl: string,
    config: SQSClientConfig = {},
  ) {
    const region = regionOf(queueUrl) ?? process.env.AWS_REGION ?? "us-east-1";
    this.client = new SQSClient({ region, endpoint: new URL(queueUrl).origin, maxAttempts: 3, ...config });
  }

  async send(letter: DeadLetter): Promise<string> {
    const out = await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(letter) }));
    return out.MessageId!;
  }

  async receive(max: number): Promise<Received[]> {
    const out = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: 1,
        VisibilityTimeout: VISIBILITY_TIMEOUT_S,
      }),
    );
    return (out.Messages ?? []).map((m) => ({ handle: m.ReceiptHandle!, id: m.MessageId!, letter: JSON.parse(m.Body!) as DeadLetter }));
  }

  async delete(handle: string): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: handle }));
  }

  async count(): Promise<number> {
    const out = await this.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    const a = out.Attributes ?? {};
    return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
