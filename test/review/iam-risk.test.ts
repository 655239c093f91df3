/**
 * IAM statements that allow more (MF911), at the YAML field that asked for each: a task role's permissions
 * (App1, App2, …), an execution role's secrets and keys. From changes to trafficYaml (api's lines from line 14).
 */
import { describe, expect, it } from "vitest";
import { edit } from "../helpers";
import { TRAFFIC_FILE, trafficYaml } from "../traffic-yaml";
import { riskLines } from "./review-helpers";

const TASK_POLICY = "aws_iam_role_policy.api-iam_task-policy_A629AACE: traces-mesh-dead-letters";
const EXECUTION_POLICY = "aws_iam_role_policy.api-iam_execution-policy_16B07984: pull-images-write-logs";
const permissions = (...lines: string[]) => trafficYaml({ api: ["    permissions:", ...lines.map((l) => `      - ${l}`)].join("\n") });
const findings = (after: string, before = trafficYaml()) => riskLines(before, after, TRAFFIC_FILE);
/** Without a tracing collector a task role that is given nothing has no policy. */
const untraced = (text: string) =>
  edit(text, "mesh: { provider: service-connect }", "mesh: { provider: service-connect }\ntracing: { collector: none }");

describe("an IAM policy that allows more (MF911)", () => {
  it("names each new permission at its entry, one on every resource said so", () => {
    const after = permissions(
      '{ actions: [s3:GetObject], resources: ["arn:aws:s3:::a/*"] }',
      '{ actions: ["s3:List*"], resources: ["*"] }',
    );
    expect(findings(after)).toEqual([
      `MF911 medium 15:9 services.api.permissions[0] ${TASK_POLICY}: statement [Sid=App1] is new, allowing actions s3:GetObject and resources arn:aws:s3:::a/*`,
      `MF911 medium 16:9 services.api.permissions[1] ${TASK_POLICY}: statement [Sid=App2] is new, allowing actions s3:List* and resources * (on every resource)`,
    ]);
  });

  it("names what a permission gains, and a task role's first policy whole", () => {
    const before = permissions('{ actions: [s3:GetObject], resources: ["arn:aws:s3:::a/*"] }');
    const after = permissions('{ actions: [s3:GetObject, s3:PutObject], resources: ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"] }');
    expect(findings(after, before)).toEqual([
      `MF911 medium 15:9 services.api.permissions[0] ${TASK_POLICY}: statement [Sid=App1] now also allows actions s3:PutObject and resources arn:aws:s3:::b/*`,
    ]);
    expect(findings(untraced(permissions('{ actions: [s3:GetObject], resources: ["*"] }')), untraced(trafficYaml()))).toEqual([
      `MF911 medium 16:9 services.api.permissions[0] ${TASK_POLICY}: statement [Sid=App1] is new, allowing actions s3:GetObject and resources * (on every resource)`,
    ]);
  });

  it("names the execution role's reading of a new secret at the secret, and its decrypting at the key", () => {
    const sm = '"arn:aws:secretsmanager:eu-west-1:123456789012:secret:appdb-AbCdEf:password::"';
    const ssm = "arn:aws:ssm:eu-west-1:123456789012:parameter/app/api-key";
    const before = trafficYaml({ api: `    secrets: { DB_PASSWORD: ${sm} }` });
    const after = trafficYaml({
      api: `    secrets: { DB_PASSWORD: ${sm}, API_KEY: ${ssm} }\n    secretsKmsKeys: [arn:aws:kms:eu-west-1:123456789012:key/abc]`,
    });
    expect(findings(after, before)).toEqual([
      `MF911 medium 14:118 services.api.secrets.API_KEY ${EXECUTION_POLICY}: statement [Sid=Parameters] is new, allowing actions ssm:GetParameters and resources ${ssm}`,
      `MF911 medium 15:22 services.api.secretsKmsKeys[0] ${EXECUTION_POLICY}: statement [Sid=SecretsKeys] is new, allowing actions kms:Decrypt and resources arn:aws:kms:eu-west-1:123456789012:key/abc`,
    ]);
    expect(findings(before)).toEqual([
      `MF911 medium 14:29 services.api.secrets.DB_PASSWORD ${EXECUTION_POLICY}: statement [Sid=Secrets] is new, allowing actions secretsmanager:GetSecretValue and resources arn:aws:secretsmanager:eu-west-1:123456789012:secret:appdb-AbCdEf`,
    ]);
  });

  it("names a new service's permission on every resource, and nothing else of its new roles", () => {
    const billing = (permission: string) =>
      edit(
        trafficYaml(),
        "services:\n",
        `services:\n  billing:\n    port: 3002\n    cpu: 1024\n    memory: 2048\n    permissions: [${permission}]\n`,
      );
    expect(findings(billing('{ actions: ["s3:*"], resources: ["*"] }'))).toEqual([
      "MF911 medium 12:19 services.billing.permissions[0] aws_iam_role_policy.billing-iam_task-policy_1F492E9C: traces-mesh-dead-letters: statement [Sid=App1] is new, allowing actions s3:* and resources * (on every resource)",
    ]);
    expect(findings(billing('{ actions: [s3:GetObject], resources: ["arn:aws:s3:::a/*"] }'))).toEqual([]);
  });
});
