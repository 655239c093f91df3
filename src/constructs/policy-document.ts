/**
 * IAM policy documents as plain JSON strings. Terraform references (cdktf tokens) stay inside the
 * strings and resolve to `${aws_x.y.arn}`, so the policy reads as JSON in cdk.tf.json.
 */

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export function policyDocument(...statements: Statement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
