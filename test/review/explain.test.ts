/** explain: the arithmetic of each call path's retries and timeouts, and the limit that cuts them short. */
import { describe, expect, it } from "vitest";
import { callPaths, renderExplain } from "../../src/review/explain";
import { DEV_YAML, edit, resolve, resolveEnv } from "../helpers";
import { LATTICE_FILE, LATTICE_YAML } from "../providers/vpc-lattice/lattice-yaml";
import { TRAFFIC_FILE, trafficYaml } from "../traffic-yaml";

describe("explain", () => {
  it("shows dev's 13 tries of 5s inside the 65s route timeout, and the listeners along the path", () => {
    expect(renderExplain(resolve(DEV_YAML))).toBe(
      [
        "## dev: retries and timeouts (App Mesh)",
        "",
        "Dashboard: https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/dev-smn-app-mesh-ecs",
        "",
        "### data-ingestion → data-processing",
        "",
        "- journey: data-ingestion → its Envoy → data-processing's route (timeout 65s, retries) → data-processing's listener (timeout 65s)",
        "- tries: 13 (1 + 12 retries) of 5s each = 65s; 13 fit in the route's 65s (retried by the caller's Envoy)",
        "- backoff: Envoy's backoff, up to 250ms a pause; at most 3s in all, inside the same 65s, so the last try may be cut short by up to 3s",
        "- timeouts on the path: data-ingestion's listener 70s, the route 65s, data-processing's listener 65s",
        "- worst case for a client of data-ingestion: 65s",
        "- limit: the route's timeout (65s) leaves no room for the backoff's pauses (up to 250ms each): the last try may be cut short by up to 3s; change services.data-processing.route.timeout",
        "",
      ].join("\n"),
    );
  });

  it("names no dashboard where the file turns it off", () => {
    expect(renderExplain(resolve(`${DEV_YAML}dashboard: false\n`))).not.toContain("Dashboard:");
  });

  it("says none limits the tries only when the tries and the longest pauses fit", () => {
    // 12 retries of 5s and 12 pauses of up to 250ms: 68s, inside a 70s route.
    const roomy = edit(
      edit(DEV_YAML, "      timeout: 65s", "      timeout: 70s"),
      "    timeout: 65s\n    route:",
      "    timeout: 70s\n    route:",
    );
    const [path] = callPaths(resolve(roomy));
    expect(path).toMatchObject({ squeezeMs: 0, wholeTries: 13 });
    expect(path!.limit).toBeUndefined();
    expect(renderExplain(resolve(roomy))).toContain(
      "- backoff: Envoy's backoff, up to 250ms a pause; at most 3s in all\n- timeouts on the path: data-ingestion's listener 70s, the route 70s, data-processing's listener 70s\n- worst case for a client of data-ingestion: 70s\n- limit: none; every try the policy allows fits",
    );
  });

  it("names the caller's listener as the limit when it is shorter than the route", () => {
    const [path] = callPaths(resolve(edit(DEV_YAML, "    timeout: 70s", "    timeout: 30s")));
    expect(path).toMatchObject({ worstCaseMs: 30_000, limit: { field: "services.data-ingestion.timeout" } });
    expect(path!.limit!.what).toBe("data-ingestion's listener timeout (30s) ends the call before the route's 65s");
  });

  it("names the route's timeout when it fits fewer tries than the policy allows", () => {
    const text = edit(
      edit(DEV_YAML, "      timeout: 65s", "      timeout: 20s"),
      "    timeout: 65s\n    route:",
      "    timeout: 20s\n    route:",
    );
    const [path] = callPaths(resolve(text));
    expect(path).toMatchObject({ allowedTries: 13, triesThatFit: 4, limit: { field: "services.data-processing.route.timeout" } });
  });

  it("under Service Connect, has the caller retry with its own backoff, bounded by its deadline, and names that limit", () => {
    const prod = resolveEnv("prod");
    expect(renderExplain(prod, "data-ingestion")).toContain(
      "- journey: data-ingestion's code (deadline 20s, retries) → Service Connect proxy → data-processing (per-request timeout 20s)\n- tries: 4 (1 + 3 retries) of 5s each = 20s; 4 fit in the route's 20s (retried by the caller)",
    );
    // 4 tries of 5s and 3 pauses of up to 2s: 3 whole tries take 19s, the fourth would start at 21s.
    expect(renderExplain(prod, "data-ingestion")).toContain(
      "- backoff: full-jitter backoff, up to 2s a pause; at most 6s in all, inside the same 20s, so with the longest pauses 3 of 4 tries run whole, the last never starts\n",
    );
    expect(renderExplain(prod, "data-ingestion")).toContain(
      "- limit: the route's timeout (20s) leaves no room for the backoff's pauses (up to 2s each): with the longest pauses 3 of 4 tries run whole, the last never starts; change services.data-processing.route.timeout\n",
    );
    // staging: 13 tries of 5s and pauses of up to 2s in 65s: 9 whole (63s), a tenth of 2s, three never.
    expect(callPaths(resolveEnv("staging"))[0]!.limit!.what).toBe(
      "the route's timeout (65s) leaves no room for the backoff's pauses (up to 2s each): with the longest pauses 9 of 13 tries run whole, the next is cut short, the last 3 never start",
    );
    expect(renderExplain(prod, "data-processing")).toBe("## prod\n\nNo call paths from data-processing: no service has backends.\n");
  });

  it("names a backend's protocol other than HTTP, and says a TCP backend's connections are neither timed nor retried by the mesh", () => {
    const env = (protocol: string) => resolve(trafficYaml({ worker: `    protocol: ${protocol}` }), TRAFFIC_FILE);
    expect(renderExplain(env("tcp"))).toBe(
      [
        "## dev: retries and timeouts (Service Connect)",
        "",
        "Dashboard: https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/dev-shop",
        "",
        "### api → worker (tcp)",
        "",
        "- journey: api → Service Connect's proxies → worker, a TCP connection: no requests for the mesh to time or retry",
        "- tries: what api's own driver makes them; it bounds each call and reconnects when a connection drops",
        "- worst case for a client of api: 30s (api's listener)",
        "- limit: none the mesh sets",
        "",
      ].join("\n"),
    );
    expect(callPaths(env("tcp"))[0]).toMatchObject({ protocol: "tcp", retriedBy: "none", worstCaseMs: 30_000 });
    expect(callPaths(env("tcp"))[0]!.limit).toBeUndefined();
    expect(renderExplain(env("grpc"))).toContain(
      "### api → worker (grpc)\n\n- journey: api's code (deadline 15s) → Service Connect proxy → worker (per-request timeout 15s)\n",
    );
  });

  it("under VPC Lattice, says the caller retries and signs, and that no listener timeout bounds the call", () => {
    const text = renderExplain(resolve(LATTICE_YAML, LATTICE_FILE), "api");
    expect(text).toBe(
      [
        "## shop: retries and timeouts (VPC Lattice)",
        "",
        "Dashboard: https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/shop-lattice",
        "",
        "### api → worker (http2)",
        "",
        "- journey: api's code (deadline 30s, retries, signs with SigV4) → VPC Lattice (worker's listener rules and weights; no retries, no request timeout) → worker",
        "- tries: 3 (1 + 2 retries) of 10s each = 30s; 3 fit in the route's 30s (retried by the caller, as VPC Lattice does not retry)",
        "- backoff: full-jitter backoff, up to 2s a pause; at most 4s in all, inside the same 30s, so the last try may be cut short by up to 4s",
        "- timeouts on the path: the route 30s, which api enforces as its deadline; VPC Lattice has no listener timeout",
        "- worst case for a client of api: 30s",
        "- limit: the route's timeout (30s) leaves no room for the backoff's pauses (up to 2s each): the last try may be cut short by up to 4s; change services.worker.route.timeout",
        "",
      ].join("\n"),
    );
    // api's own `timeout` (the default 15s) bounds nothing under Lattice: no listener limit, a worst case of the whole 30s.
    const web = callPaths(resolve(LATTICE_YAML, LATTICE_FILE)).find((p) => p.caller === "web" && p.backend === "worker")!;
    expect([web.worstCaseMs, web.callerListenerMs, web.backendListenerMs]).toEqual([30_000, undefined, undefined]);
  });
});
