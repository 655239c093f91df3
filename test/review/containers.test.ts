/** Each task definition's containers beside those it is compared with: the same one, a new version's service's, or none. */
import { describe, expect, it } from "vitest";
import { taskContainers } from "../../src/review/containers";
import type { Json } from "../../src/review/diff";
import { resolve } from "../helpers";
import { TRAFFIC_FILE, trafficYaml } from "../traffic-yaml";

const ENV = resolve(trafficYaml(), TRAFFIC_FILE);
const task = (family: string, ...containers: Json[]) => ({ family, container_definitions: JSON.stringify(containers) });
const stack = (tasks: Record<string, Json>): Json => ({ resource: { aws_ecs_task_definition: tasks } });

describe("task containers", () => {
  it("reads each container's user, root filesystem, writable paths, variables and whether it routes logs", () => {
    const after = stack({
      api: task(
        "dev-shop-api",
        {
          name: "app",
          user: "1000",
          readonlyRootFilesystem: true,
          mountPoints: [
            { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
            { sourceVolume: "conf", containerPath: "/etc/app", readOnly: true },
          ],
          environment: [{ name: "A", value: "1" }],
        },
        { name: "log-router", firelensConfiguration: { type: "fluentbit" } },
      ),
    });
    const [api] = taskContainers(undefined, after, ENV);
    expect(api).toMatchObject({ address: "aws_ecs_task_definition.api", family: "dev-shop-api", owner: { service: { name: "api" } } });
    expect([...api!.now.values()]).toEqual([
      { name: "app", user: "1000", readonlyRoot: true, writablePaths: ["/tmp"], variables: ["A"], logRouter: false },
      { name: "log-router", readonlyRoot: false, writablePaths: [], variables: [], logRouter: true },
    ]);
    expect(api!.was).toBeUndefined();
  });

  it("compares a task definition with itself before, a new version's with its service's, and a new service's with nothing", () => {
    const before = stack({ api: task("dev-shop-api", { name: "app", user: "0" }) });
    const after = stack({
      api: task("dev-shop-api", { name: "app", user: "1000" }),
      "api-v2": task("dev-shop-api-v2", { name: "app", user: "1001" }),
      worker: task("dev-shop-worker", { name: "app", user: "1000" }),
    });
    expect(taskContainers(before, after, ENV).map((t) => [t.family, t.was?.get("app")?.user ?? "none"])).toEqual([
      ["dev-shop-api", "0"],
      ["dev-shop-api-v2", "0"],
      ["dev-shop-worker", "none"],
    ]);
  });
});
