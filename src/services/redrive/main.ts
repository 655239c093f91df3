/**
 * `npm run redrive -- --local | --env NAME [--to URL] [--queue-url URL] [--config-dir DIR]`: replays
 * dead-lettered readings to data-processing with its route's retry policy, removing each once delivered, and
 * says how many were redriven and how many remain.
 * - --local: the harness's queue (.meshform/local/dead-letters.jsonl) to the harness's data-processing.
 * - --env NAME: the environment's SQS queue (found by name in its region with your AWS credentials) to
 *   data-processing at --to, default its URL in the environment, which resolves inside the VPC under App Mesh
 *   (Cloud Map DNS); under Service Connect the name resolves only inside its tasks, so pass --to, e.g.
 *   data-ingestion's ingress (a reading sent again keeps its request id and is not processed twice).
 */
import { parseArgs } from "node:util";
import { GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { formatDiagnostic, hasErrors, shown } from "../../config/diagnostics";
import { loadEnvironments } from "../../environments";
import { Upstream } from "../data-ingestion/upstream";
import { LOCAL_DEAD_LETTERS, redrivePolicy } from "../local/settings";
import type { DeadLetterQueue } from "../shared/dead-letters/dead-letters";
import { FileDeadLetterQueue } from "../shared/dead-letters/file-queue";
import { SqsDeadLetterQueue } from "../shared/dead-letters/sqs-queue";
import { jsonLogger } from "../shared/http";
import { redrive } from "./redrive";

const USAGE = "usage: npm run redrive -- --local | --env NAME [--to URL] [--queue-url URL] [--config-dir DIR]";
const TARGET = "data-processing";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      local: { type: "boolean" },
      env: { type: "string" },
      to: { type: "string" },
      "queue-url": { type: "string" },
      "config-dir": { type: "string", default: "config" },
      quiet: { type: "boolean" },
    },
  });
  if (Boolean(values.local) === Boolean(values.env)) {
    console.error(USAGE);
    return 2;
  }
  const { environments, diagnostics } = loadEnvironments(values["config-dir"]!, values.env ?? "dev");
  if (hasErrors(diagnostics)) {
    for (const d of shown(diagnostics)) console.error(formatDiagnostic(d));
    return 1;
  }
  const env = environments[0]!;
  let queue: DeadLetterQueue;
  let where: string;
  let to: string;
  if (values.local) {
    queue = new FileDeadLetterQueue(LOCAL_DEAD_LETTERS);
    where = LOCAL_DEAD_LETTERS;
    to = values.to ?? `http://127.0.0.1:${process.env.PROCESSING_PORT ?? 3001}`;
  } else {
    const url =
      values["queue-url"] ??
      (await new SQSClient({ region: env.region }).send(new GetQueueUrlCommand({ QueueName: env.names.deadLetterQueue }))).QueueUrl!;
    queue = new SqsDeadLetterQueue(url);
    where = url;
    to = values.to ?? env.services.flatMap((s) => s.backends).find((b) => b.service === TARGET)!.url;
  }
  const upstream = new Upstream(new URL("/ev", to));
  try {
    const result = await redrive(queue, { upstream, policy: redrivePolicy(env, TARGET) }, values.quiet ? () => {} : jsonLogger("redrive"));
    console.log(
      `redrive: ${result.redriven} redriven to ${to}, ${result.kept} kept (still failing), ${result.remaining} remain in ${where}`,
    );
    return result.remaining === 0 ? 0 : 1;
  } finally {
    await upstream.close();
    await queue.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    console.error(`redrive: ${err.message}`);
    process.exitCode = 1;
  },
);
