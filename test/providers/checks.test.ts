/** What each provider refuses or warns about, at the line that asks for it, with what to do instead. */
import { describe, expect, it } from "vitest";
import { DEV_FILE, DEV_YAML, edit, endOfLife, validate } from "../helpers";

const APPMESH_BLOCK =
  "  provider: appmesh\n  egress: DROP_ALL\n  envoy:\n    image: 840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod\n";
const SC_YAML = edit(DEV_YAML, APPMESH_BLOCK, "  provider: service-connect\n");

describe("App Mesh", () => {
  it("warns at the provider line that App Mesh reached end of life, and how to move", () => {
    expect(validate(DEV_YAML, DEV_FILE, { endOfLife: true, ids: true })).toEqual([endOfLife(DEV_FILE)]);
  });

  it("refuses what only Service Connect honours, saying what to do under App Mesh", () => {
    const text = edit(
      edit(DEV_YAML, "  egress: DROP_ALL\n", "  egress: DROP_ALL\n  proxy: { cpu: 512 }\n"),
      "        perRetryTimeout: 5s\n",
      "        perRetryTimeout: 5s\n        backoff: { base: 50ms }\n",
    );
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:13:3 mesh.proxy: sizes the proxy Service Connect injects; under App Mesh, size the Envoy sidecar with mesh.envoy",
      "test/fixtures/envs/dev.yaml:41:9 services.data-processing.route.retryPolicy.backoff: App Mesh's Envoy backs off between retries on its own (25ms base, up to 250ms) and cannot be configured; remove backoff (it applies under Service Connect, where the caller retries)",
    ]);
  });
});

describe("Service Connect", () => {
  it("accepts the dev fixture's services with no warning but local state's", () => {
    expect(validate(SC_YAML, DEV_FILE)).toEqual([]);
  });

  it("refuses what only App Mesh has, each at its line with the alternative, never dropping it silently", () => {
    const text = edit(
      edit(
        edit(DEV_YAML, "  provider: appmesh", "  provider: service-connect"),
        "      prefix: /\n",
        "      prefix: /v1\n      priority: 5\n",
      ),
      "    timeout: 65s\n    route:",
      "    timeout: 65s\n    healthCheck: { healthyThreshold: 3 }\n    route:",
    );
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:12:3 mesh.egress: Service Connect has no egress filter: tasks reach what their security group allows (meshform's allows the services' ports inside the group, and HTTPS); remove egress",
      "test/fixtures/envs/dev.yaml:13:3 mesh.envoy: Service Connect injects and manages its own proxy, so there is no Envoy sidecar to configure; remove envoy (mesh.proxy sizes the proxy's share)",
      "test/fixtures/envs/dev.yaml:33:20 services.data-processing.healthCheck.healthyThreshold: ECS container health checks, which time Service Connect tasks, count one success as healthy; remove healthyThreshold (interval, timeout and unhealthyThreshold apply)",
      "test/fixtures/envs/dev.yaml:35:15 services.data-processing.route.prefix: Service Connect sends every request for a service to it, with no path routing; remove prefix, and route paths in the app or in a load balancer in front",
      "test/fixtures/envs/dev.yaml:36:7 services.data-processing.route.priority: Service Connect has no routes to order; remove priority",
    ]);
  });

  it("reserves AWS's share for the proxy it injects before the app's, with the same message as a sidecar", () => {
    expect(
      validate(
        edit(
          SC_YAML,
          "    cpu: 512\n    memory: 1024\n    desiredCount: 1\n    timeout: 70s",
          "    cpu: 256\n    memory: 512\n    desiredCount: 1\n    timeout: 70s",
        ),
      ),
    ).toEqual([
      "test/fixtures/envs/dev.yaml:17:10 services.data-ingestion.cpu: 256 CPU units leave -64 for the app after the Service Connect proxy (256) and the tracing collector (ADOT) (64); the app needs at least 64",
    ]);
  });

  it("takes a per-request timeout in whole seconds", () => {
    expect(validate(edit(SC_YAML, "    timeout: 65s\n    route:", "    timeout: 65500ms\n    route:"))).toEqual([
      "test/fixtures/envs/dev.yaml:29:14 services.data-processing.timeout: Service Connect takes a per-request timeout in whole seconds; write 66s",
    ]);
  });

  it("checks the request path with the caller retrying: a backend listener must fit one try, a caller's the whole call", () => {
    const text = edit(
      edit(SC_YAML, "    timeout: 70s\n", "    timeout: 15s\n"),
      "    timeout: 65s\n    route:",
      "    timeout: 3s\n    route:",
    );
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:20:14 services.data-ingestion.timeout: warning: 15s ends data-ingestion's requests before its call to data-processing can finish: that call may take up to 65s (data-processing's route.timeout, retries included), so data-ingestion's clients get a 504 first; raise it to at least 65s",
      "test/fixtures/envs/dev.yaml:29:14 services.data-processing.timeout: warning: 3s is shorter than requests to data-processing may take: each try of its callers may take 5s (retryPolicy.perRetryTimeout); raise it to at least 5s",
    ]);
  });

  it("warns where services call each other in a cycle, which no creation order satisfies", () => {
    const text = edit(SC_YAML, "    timeout: 65s\n    route:", "    timeout: 65s\n    backends: [data-ingestion]\n    route:");
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:21:5 services.data-ingestion.backends: warning: data-ingestion → data-processing → data-ingestion call each other in a cycle; Service Connect tasks reach only services that existed when they started, so after the first deploy, deploy data-ingestion again (or break the cycle)",
    ]);
  });

  it("reserves the variables that carry the retry policy, the deadline and the dead-letter queue", () => {
    const text = edit(
      SC_YAML,
      "    deadLetterQueue: true\n",
      '    deadLetterQueue: true\n    environment: { DATA_PROCESSING_MAX_RETRIES: "3", DATA_PROCESSING_TIMEOUT_MS: "1", DEAD_LETTER_QUEUE_URL: x }\n',
    );
    expect(validate(text)).toEqual([
      "test/fixtures/envs/dev.yaml:23:20 services.data-ingestion.environment.DATA_PROCESSING_MAX_RETRIES: is set by meshform: the retry policy of data-processing's route, which the caller enforces under Service Connect; remove it from environment",
      "test/fixtures/envs/dev.yaml:23:54 services.data-ingestion.environment.DATA_PROCESSING_TIMEOUT_MS: is set by meshform: how long a call to data-processing may take, from its route.timeout; remove it from environment",
      "test/fixtures/envs/dev.yaml:23:87 services.data-ingestion.environment.DEAD_LETTER_QUEUE_URL: is set by meshform: the URL of the environment's dead-letter queue; remove it from environment",
    ]);
  });
});
