import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Construct } from "constructs";

/** The CloudWatch log group every container of one service writes to, with a retention. */
export class LogGroup extends Construct {
  readonly group: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: { name: string; retentionInDays: number }) {
    super(scope, id);
    this.group = new CloudwatchLogGroup(this, "group", { name: props.name, retentionInDays: props.retentionInDays });
  }
}
