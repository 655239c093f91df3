/**
 * Test traffic reaches the new revision only if callers pass its header on (issue 15, row 5): staging's
 * data-processing takes requests with x-beta-user: true to a canary's new revision (Service Connect's test
 * traffic rule), qa's routes them to v2 (an App Mesh header route). meshform tells data-ingestion which headers
 * to pass on (DATA_PROCESSING_FORWARD_HEADERS); here the harness's own pieces show them arrive.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import type { ResolvedEnvironment } from "../../../src/config/model";
import { loadEnvironments } from "../../../src/environments";
import { createIngestionApp } from "../../../src/services/data-ingestion/app";
import { Upstream } from "../../../src/services/data-ingestion/upstream";
import { createMeshProxy } from "../../../src/services/local/mesh-proxy";
import { callerForwardHeaders, callerPolicy } from "../../../src/services/local/settings";
import { RetryBudget } from "../../../src/services/shared/retry-budget";
import { ENVS } from "../../helpers";
import { post, start } from "../helpers";

const env = (name: string) => loadEnvironments(ENVS, name).environments[0]!;

/** data-ingestion as the harness runs it for `e`, in front of a data-processing that records what it gets. */
async function harness(e: ResolvedEnvironment): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const processing = createServer((req, res) => {
    seen.push(req.headers);
    req.resume().on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
  });
  let target = new URL(await start(processing));
  const route = e.services.find((s) => s.name === "data-processing")!.route;
  if (e.mesh.provider === "appmesh") {
    target = new URL(await start(createMeshProxy(target, route.retryPolicy!, route.timeoutMs, () => {})));
  }
  const ingestion = createIngestionApp({
    log: () => {},
    processing: {
      upstream: new Upstream(new URL("/ev", target)),
      policy: callerPolicy(e, "data-ingestion", "data-processing"),
      budget: new RetryBudget(),
      forwardHeaders: callerForwardHeaders(e, "data-ingestion", "data-processing"),
    },
  });
  return { url: await start(ingestion), seen };
}

describe("test traffic and header routes through data-ingestion", () => {
  it("are told to the caller: the headers its backend's test traffic and routes match, and none where there are none", () => {
    expect(callerForwardHeaders(env("staging"), "data-ingestion", "data-processing")).toEqual(["x-beta-user"]);
    expect(callerForwardHeaders(env("qa"), "data-ingestion", "data-processing")).toEqual(["x-beta-user"]);
    expect(callerForwardHeaders(env("dev"), "data-ingestion", "data-processing")).toEqual([]);
  });

  it.each(["staging", "qa"])("reach data-processing from a client's request under %s, and other headers do not", async (name) => {
    const { url, seen } = await harness(env(name));
    const res = await post(`${url}/ev`, undefined, { "x-beta-user": "true", cookie: "session=1" });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect([seen[0]!["x-beta-user"], seen[0]!.cookie]).toEqual(["true", undefined]);
  });

  it("are not passed on where no backend asks for them", async () => {
    const { url, seen } = await harness(env("dev"));
    await post(`${url}/ev`, undefined, { "x-beta-user": "true" });
    expect(seen[0]!["x-beta-user"]).toBeUndefined();
  });
});
