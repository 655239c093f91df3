import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";

/**
 * The SNS topic the environment's alarms notify when the file names none (`alarmTopicArn`): subscribe to it (email,
 * chat, paging). CloudWatch publishes to a topic of its own account under the topic's default access policy. Not
 * encrypted: a topic encrypted with the AWS managed key (aws/sns) cannot receive CloudWatch's notifications, which
 * need a customer managed key whose policy admits CloudWatch; the notifications carry alarm names and states.
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: { name: string }) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", { name: props.name });
  }
}
