/**
 * The review's Markdown for a change of the kinds issue 16 adds: a Service Connect service's protocol change (its
 * ECS service replaced, with the trigger) and a container turned root, each finding at its YAML line.
 */
import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../src/config/load";
import { compareStacks } from "../../src/review/diff";
import { bySeverity, locate } from "../../src/review/findings";
import { renderEnvironment } from "../../src/review/markdown";
import { riskFindings } from "../../src/review/risk";
import { resolve } from "../helpers";
import { TRAFFIC_FILE, trafficYaml } from "../traffic-yaml";
import { stackOf } from "./review-helpers";

/** The environment's section of the review, from `before`'s text to `after`'s. */
function section(before: string, after: string): string {
  const [b, a] = [stackOf(before, TRAFFIC_FILE), stackOf(after, TRAFFIC_FILE)];
  const { changes, ordering } = compareStacks(b, a);
  const [was, now] = [resolve(before, TRAFFIC_FILE), resolve(after, TRAFFIC_FILE)];
  const findings = locate(riskFindings(b, a, changes, now), parseEnvironment(TRAFFIC_FILE, after)).sort(bySeverity);
  return renderEnvironment({ name: "dev", changes, ordering, findings, before: was, after: now, planned: false });
}

describe("the review's Markdown", () => {
  const text = section(trafficYaml({ worker: "    protocol: grpc" }), trafficYaml({ api: '    user: "0"', worker: "    protocol: http2" }));

  it("lists the findings first, most severe first, each at its YAML line with its rule", () => {
    expect(text).toContain(
      [
        "**Findings**: 2 high",
        "",
        '- :red_circle: **high** `dev.yaml:14:11` `services.api.user`: dev-shop-api: containers app, app-ready now run as root (user "0"; was "1000"): whatever breaks into them may change anything in the container, and any escape starts as root (`aws_ecs_task_definition.api-task_definition_1F612BF6`) [MF919]',
        "- :red_circle: **high** `dev.yaml:19:15` `services.worker.protocol`: dev-shop-worker's protocol changes from grpc to http2 (the appProtocol of port worker; none is TCP), which Service Connect cannot update in place: Terraform replaces the ECS service, so its tasks stop before the new service's start, and its callers' calls fail until those are healthy (`aws_ecs_service.worker-service_17032594`) [MF923]",
        "",
      ].join("\n"),
    );
  });

  it("shows the ECS service replaced, forced by the trigger and what changed in it, and the protocol in the services table and call paths", () => {
    expect(text).toContain(
      '- **replaced** `aws_ecs_service.worker-service_17032594` (forced by `replace_triggered_by terraform_data.worker-immutable (input.appProtocol "grpc" → "http2")`, predicted)\n',
    );
    expect(text).toContain("**Resources**: 0 to add, 1 to change, 3 to replace, 0 to remove");
    expect(text).toContain("| worker | service-connect | **3001 (http2)** (was 3001 (grpc)) |");
    expect(text).toContain("#### api → worker (http2)\n");
  });
});
