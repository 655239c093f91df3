/** What App Mesh needs at run time that a plan does not show (issue 15, row 13), as the App Mesh traffic fixture has it. */
import { describe, expect, it } from "vitest";
import { APPMESH_QA_FILE, APPMESH_QA_YAML, resolve } from "../../helpers";
import { one, ref, resources, synthStack } from "../../stack-helpers";

const stack = synthStack(resolve(APPMESH_QA_YAML, APPMESH_QA_FILE));

describe("App Mesh at run time", () => {
  // App Mesh user guide, troubleshooting, "Unable to resolve DNS name for a virtual service": "add a DNS A record to
  // any non-loopback IP address, such as 10.10.10.10, for the virtual service name".
  it("gives a service with versions a DNS name of its own, which its callers resolve before Envoy routes the call", () => {
    const names = resources(stack, "aws_service_discovery_service").map((s) => s.name);
    expect(names.sort()).toEqual(["data-ingestion", "data-processing", "data-processing-v1", "data-processing-v2"]);
    const placeholder = one(stack, "aws_service_discovery_service", (s) => s.name === "data-processing");
    expect(placeholder.health_check_custom_config).toBeUndefined();
    expect(one(stack, "aws_service_discovery_instance")).toMatchObject({
      service_id: ref("aws_service_discovery_service", placeholder, "id"),
      instance_id: "data-processing-static",
      attributes: { AWS_INSTANCE_IPV4: "10.10.10.10" },
    });
  });

  // The gateway answers a path as the service's routes say: a health check path no route takes answers 404.
  it("has the ingress load balancer check that the gateway accepts connections, not a path its routes may not take", () => {
    expect(one(stack, "aws_lb_target_group").health_check).toMatchObject({ enabled: true, protocol: "TCP", port: "traffic-port" });
    expect(one(stack, "aws_lb_target_group").health_check.path).toBeUndefined();
  });
});
