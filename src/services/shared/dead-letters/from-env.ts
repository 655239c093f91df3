import type { DeadLetterQueue } from "./dead-letters";
import { FileDeadLetterQueue } from "./file-queue";
import { SqsDeadLetterQueue } from "./sqs-queue";

/** DEAD_LETTER_QUEUE_URL (set by meshform) → SQS; DEAD_LETTER_FILE (the local harness) → a durable file; else none. */
export function deadLetterQueueFromEnv(env: NodeJS.ProcessEnv = process.env): DeadLetterQueue | undefined {
  if (env.DEAD_LETTER_QUEUE_URL) return new SqsDeadLetterQueue(env.DEAD_LETTER_QUEUE_URL);
  if (env.DEAD_LETTER_FILE) return new FileDeadLetterQueue(env.DEAD_LETTER_FILE);
  return undefined;
}
