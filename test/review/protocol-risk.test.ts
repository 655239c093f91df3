/**
 * A Service Connect service's protocol change replaces its ECS service (MF923, high): appProtocol is immutable
 * there. From changes to trafficYaml (worker's extra lines from line 18), synthesized before and after.
 */
import { describe, expect, it } from "vitest";
import type { Json } from "../../src/review/diff";
import { DEV_YAML, edit } from "../helpers";
import { TRAFFIC_FILE, trafficYaml } from "../traffic-yaml";
import { riskLines } from "./review-helpers";

const worker = (protocol: string) => trafficYaml({ worker: `    protocol: ${protocol}` });
const SERVICE = "aws_ecs_service.worker-service_17032594";
const protocolFindings = (before: string, after: string, patch?: (stack: Json) => void) =>
  riskLines(before, after, TRAFFIC_FILE, patch).filter((f) => f.startsWith("MF923"));

describe("a Service Connect service's protocol change (MF923)", () => {
  it("says the ECS service is replaced, and what its callers see, at protocol", () => {
    expect(protocolFindings(worker("grpc"), worker("http2"))).toEqual([
      `MF923 high 18:15 services.worker.protocol ${SERVICE}: dev-shop-worker's protocol changes from grpc to http2 (the appProtocol of port worker; none is TCP), which Service Connect cannot update in place: Terraform replaces the ECS service, so its tasks stop before the new service's start, and its callers' calls fail until those are healthy`,
    ]);
  });

  it("takes an absent appProtocol for TCP, and the default for http", () => {
    expect(protocolFindings(worker("tcp"), trafficYaml())).toEqual([
      expect.stringContaining("dev-shop-worker's protocol changes from tcp to http (the appProtocol of port worker; none is TCP)"),
    ]);
  });

  it("says the apply fails when nothing replaces the ECS service (a stack without the trigger)", () => {
    const noTrigger = (a: Json) => {
      delete a.resource.aws_ecs_service["worker-service_17032594"].lifecycle;
    };
    expect(protocolFindings(worker("grpc"), worker("http2"), noTrigger)).toEqual([
      `MF923 high 18:15 services.worker.protocol ${SERVICE}: dev-shop-worker's protocol changes from grpc to http2 (the appProtocol of port worker; none is TCP), which Service Connect cannot update in place, and this change does not replace the ECS service (nothing in its replace_triggered_by changes): the apply fails; replace it (terraform apply -replace=${SERVICE}), and its callers' calls fail until the new tasks are healthy`,
    ]);
  });

  it("says nothing where the protocol stays, nor under App Mesh, which changes a protocol in place", () => {
    expect(
      protocolFindings(
        worker("grpc"),
        edit(worker("grpc"), "cpu: 1024\n    memory: 2048\n    protocol", "cpu: 2048\n    memory: 4096\n    protocol"),
      ),
    ).toEqual([]);
    expect(
      riskLines(
        DEV_YAML,
        edit(DEV_YAML, "  data-processing:\n    port: 3000\n", "  data-processing:\n    port: 3000\n    protocol: http2\n"),
      ).filter((f) => f.startsWith("MF923")),
    ).toEqual([]);
  });
});
