/** Names derived once: the project's words are not repeated by a service named after them, and no two services meet. */
import { describe, expect, it } from "vitest";
import { environmentNames, serviceNames, serviceWords } from "../../src/config/names";
import { validate } from "../helpers";
import { CERTIFICATE, trafficYaml } from "../traffic-yaml";

describe("serviceWords", () => {
  it("drops the words the prefix ends in, and only at the boundary", () => {
    expect(serviceWords("prod-app", "app-ui")).toBe("ui");
    expect(serviceWords("prod-my-app", "my-app-ui")).toBe("ui");
    expect(serviceWords("prod-my-app", "app-ui")).toBe("ui");
    expect(serviceWords("prod-app", "ui-app")).toBe("ui-app");
    expect(serviceWords("prod-app", "apple")).toBe("apple");
    // A service named after the project alone keeps its name: its names never equal the environment's.
    expect(serviceWords("prod-app", "app")).toBe("app");
  });

  it("names every resource of a service from them, but its DNS name from the service's own name", () => {
    const names = serviceNames(environmentNames("prod", "app", "app.internal"), "app-ui");
    expect(names).toMatchObject({
      ecsService: "prod-app-ui",
      taskRole: "prod-app-ui-task",
      ecrRepository: "prod-app/ui",
      logGroup: "/ecs/prod-app/ui",
      securityGroup: "prod-app-ui",
      dnsName: "app-ui.prod.app.internal",
      discovery: "app-ui",
    });
  });
});

describe("distinct names (MF104)", () => {
  it("refuses two services whose names meet once the project's words are written once", () => {
    const yaml = trafficYaml().replace("  worker:", "  shop-api:").replace("backends: [worker]", "backends: [shop-api]");
    expect(validate(yaml, "dev.yaml")).toEqual([
      'dev.yaml:14:3 services.shop-api: makes the same AWS names as api ("dev-shop-api": ECS service, roles, log group, repository), as the project\'s words are written once: rename one of them',
    ]);
  });

  it("refuses a service that takes the names of another's App Mesh ingress gateway, however it is spelt", () => {
    const yaml = trafficYaml({ provider: "appmesh", api: `    ingress: { certificate: "${CERTIFICATE}", allowedCidrs: [10.0.0.0/8] }` })
      .replace("  worker:", "  shop-api-gateway:")
      .replace("backends: [worker]", "backends: [shop-api-gateway]");
    expect(validate(yaml, "dev.yaml")).toEqual([
      "dev.yaml:15:3 services.shop-api-gateway: is the name of the ingress gateway meshform runs for api (its ECS service, log group and security group): rename the service",
    ]);
  });
});
