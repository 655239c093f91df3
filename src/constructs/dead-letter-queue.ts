import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Construct } from "constructs";
import { policyDocument } from "./policy-document";

/** SQS's longest retention, 14 days: time to notice, fix and redrive. */
export const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;

export interface DeadLetterQueueProps {
  name: string;
  alarmName: string;
  /** SNS topic notified when the alarm fires and clears. */
  alarmTopicArn?: string;
}

/**
 * The environment's dead-letter queue: what services could not deliver, kept 14 days, encrypted at rest
 * (SSE-SQS) and reachable over TLS only, with an alarm as soon as a message is visible.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new SqsQueue(this, "queue", {
      name: props.name,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
    });
    new SqsQueuePolicy(this, "policy", {
      queueUrl: this.queue.url,
      policy: policyDocument({
        Sid: "TlsOnly",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "sqs:*",
        Resource: this.queue.arn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    });
    const actions = props.alarmTopicArn ? [props.alarmTopicArn] : undefined;
    new CloudwatchMetricAlarm(this, "visible", {
      alarmName: props.alarmName,
      alarmDescription: "Readings were dead-lettered: find the reason in each message, fix it, then `npm run redrive`",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: this.queue.name },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      ...(actions && { alarmActions: actions, okActions: actions }),
    });
  }
}
