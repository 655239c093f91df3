import { describe, expect, it } from "vitest";
import { ecrRepositoryArnOf } from "../../src/constructs/ecr-repository";

describe("ecrRepositoryArnOf", () => {
  it("derives the repository ARN of an ECR image, ignoring the tag or digest", () => {
    expect(ecrRepositoryArnOf("840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod")).toBe(
      "arn:aws:ecr:eu-west-1:840364872350:repository/aws-appmesh-envoy",
    );
    expect(ecrRepositoryArnOf("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app@sha256:abc")).toBe(
      "arn:aws:ecr:us-east-1:123456789012:repository/team/app",
    );
  });

  it("returns nothing for images outside private ECR (they need no pull permission)", () => {
    expect(ecrRepositoryArnOf("public.ecr.aws/xray/aws-xray-daemon:3.3.14")).toBeUndefined();
    expect(ecrRepositoryArnOf("envoyproxy/envoy:v1.27.2")).toBeUndefined();
  });
});
