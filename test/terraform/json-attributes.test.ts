import { describe, expect, it } from "vitest";
import { jsonAttributeProblems } from "../../src/terraform/json-attributes";

const task = (containers: string) => ({ resource: { aws_ecs_task_definition: { t: { container_definitions: containers } } } });
const policy = (doc: string) => ({ resource: { aws_iam_role_policy: { p: { policy: doc } } } });

describe("JSON string attributes", () => {
  it("accepts container definitions and policies with references inside, and escaped user text", () => {
    const containers = JSON.stringify([
      {
        name: "app",
        image: "${aws_ecr_repository.r.repository_url}:v1",
        essential: true,
        cpu: 64,
        environment: [{ name: "X", value: "$${literal}" }],
      },
    ]);
    const doc = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "${aws_s3_bucket.b.arn}/*" }],
    });
    expect(jsonAttributeProblems({ resource: { ...task(containers).resource, ...policy(doc).resource } })).toEqual([]);
  });

  it("names what is wrong: not JSON, a missing field, ECS's ignored depends_on, a bad statement", () => {
    expect(jsonAttributeProblems(task('[{"name": "app",}]'))[0]).toMatch(
      /^aws_ecs_task_definition\.t\.container_definitions: is not valid JSON/,
    );
    expect(jsonAttributeProblems(task(JSON.stringify([{ name: "app", essential: "yes", depends_on: [] }])))).toEqual([
      "aws_ecs_task_definition.t.container_definitions: [0].image is missing",
      "aws_ecs_task_definition.t.container_definitions: [0].essential is not true or false",
      'aws_ecs_task_definition.t.container_definitions: [0] has "depends_on", which ECS ignores: its key is dependsOn',
    ]);
    expect(jsonAttributeProblems(policy(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Permit", Action: [] }] })))).toEqual(
      [
        "aws_iam_role_policy.p.policy: Statement[0].Effect is not Allow or Deny",
        "aws_iam_role_policy.p.policy: Statement[0].Action is not a string or a list of strings",
        "aws_iam_role_policy.p.policy: Statement[0] has neither Resource nor Principal",
      ],
    );
  });
});
