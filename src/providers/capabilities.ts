/**
 * What each mesh provider can and cannot honour, as one table. A row is a feature: the YAML fields that ask
 * for it (if any), the providers that honour it, and for every other provider what to say at the field's
 * line, naming the alternative. One check reads the table (refusals), so refusals grow with the number of
 * fields, not with providers squared; the rest of meshform asks `provider.supports(feature)` instead of
 * comparing provider names. Adding a provider means adding its id to the rows it honours and its message to
 * the others (a test fails until every row has one).
 */
import { type Check, servicesOf, written } from "../config/checks/check";
import type { Diagnostic } from "../config/diagnostics";
import type { ServiceParts } from "../config/parts";
import type { Rule } from "../config/rules";
import type { ProviderId } from "./provider";

interface FieldRow {
  /** The rule that refuses it: its id is the row's. */
  rule: Rule;
  /** Where it is written: from the top of the file, or under every service. */
  scope: "environment" | "service";
  path: readonly string[];
  /** Refused only when this holds of what is written (by default, whenever the field is written). */
  when?: (written: { value: unknown; service: ServiceParts | undefined }) => boolean;
  /** Whether the message points at the field's key (for maps and lists) rather than its value. */
  onKey: boolean;
  honouredBy: readonly ProviderId[];
  /** For each provider that does not honour it: what to say instead. */
  refusal: Partial<Record<ProviderId, string>>;
}

/** A behaviour the core adapts to, asked through `supports`; not written in the YAML. */
interface BehaviourRow {
  honouredBy: readonly ProviderId[];
  why: string;
}

const refused = (id: string, title: string): Rule => ({ id, level: "error", title });

export const FIELDS = {
  egressFilter: {
    rule: refused("MF401", "mesh.egress is honoured by the provider"),
    scope: "environment",
    path: ["mesh", "egress"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect":
        "Service Connect has no egress filter: tasks reach what their security group allows (meshform's allows the services' ports inside the group, and HTTPS); remove egress",
    },
  },
  ipPreference: {
    rule: refused("MF402", "mesh.ipPreference is honoured by the provider"),
    scope: "environment",
    path: ["mesh", "ipPreference"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect":
        "Service Connect's proxies use the addresses ECS gives the tasks (IPv4, or dual-stack in a dual-stack VPC); remove ipPreference",
    },
  },
  envoySidecar: {
    rule: refused("MF403", "mesh.envoy is honoured by the provider"),
    scope: "environment",
    path: ["mesh", "envoy"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect":
        "Service Connect injects and manages its own proxy, so there is no Envoy sidecar to configure; remove envoy (mesh.proxy sizes the proxy's share)",
    },
  },
  proxyShare: {
    rule: refused("MF404", "mesh.proxy is honoured by the provider"),
    scope: "environment",
    path: ["mesh", "proxy"],
    onKey: true,
    honouredBy: ["service-connect"],
    refusal: { appmesh: "sizes the proxy Service Connect injects; under App Mesh, size the Envoy sidecar with mesh.envoy" },
  },
  healthyThreshold: {
    rule: refused("MF405", "healthCheck.healthyThreshold is honoured by the provider"),
    scope: "service",
    path: ["healthCheck", "healthyThreshold"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect":
        "ECS container health checks, which time Service Connect tasks, count one success as healthy; remove healthyThreshold (interval, timeout and unhealthyThreshold apply)",
    },
  },
  outlierDetection: {
    rule: refused("MF406", "outlierDetection is honoured by the provider"),
    scope: "service",
    path: ["outlierDetection"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect":
        "Service Connect's proxy ejects failing tasks on its own (outlier detection is built in and cannot be configured); remove outlierDetection, and let the container health check replace a task that stays unhealthy",
    },
  },
  connectionPool: {
    rule: refused("MF407", "connectionPool is honoured by the provider"),
    scope: "service",
    path: ["connectionPool"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect":
        "Service Connect's proxy has no connection pool settings; remove connectionPool, and bound concurrency in the caller (its retry budget limits retries already)",
    },
  },
  listenerCertificate: {
    rule: refused("MF408", "tls.certificate is honoured by the provider"),
    scope: "service",
    path: ["tls", "certificate"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect":
        "Service Connect issues every task's certificate from certificateAuthority itself and rotates it; remove certificate",
    },
  },
  mutualTls: {
    rule: refused("MF409", "tls.clientValidation is honoured by the provider"),
    scope: "service",
    path: ["tls", "clientValidation"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect":
        "Service Connect's TLS authenticates the service to its callers, not the callers to it (no mutual TLS); remove clientValidation",
    },
  },
  clientCertificate: {
    rule: refused("MF410", "clientCertificate is honoured by the provider"),
    scope: "service",
    path: ["clientCertificate"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: { "service-connect": "Service Connect's proxies present no client certificates (no mutual TLS); remove clientCertificate" },
  },
  versions: {
    rule: refused("MF411", "versions are honoured by the provider"),
    scope: "service",
    path: ["versions"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect":
        "Service Connect runs one revision of a service at a time; release a new one gradually with deployment.strategy canary, linear or blue-green, where ECS shifts the traffic",
    },
  },
  routes: {
    rule: refused("MF412", "routes are honoured by the provider"),
    scope: "service",
    path: ["routes"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect":
        "Service Connect sends every request for a service to it, with no routes to match headers, paths or methods; remove routes (route's timeout and retryPolicy apply; for test traffic by header, see deployment.testTraffic)",
    },
  },
  routePriority: {
    rule: refused("MF413", "route.priority is honoured by the provider"),
    scope: "service",
    path: ["route", "priority"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: { "service-connect": "Service Connect has no routes to order; remove priority" },
  },
  pathRouting: {
    rule: refused("MF414", "route.prefix other than / is honoured by the provider"),
    scope: "service",
    path: ["route", "prefix"],
    when: ({ service }) => service?.route?.prefix !== "/",
    onKey: false,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect":
        "Service Connect sends every request for a service to it, with no path routing; remove prefix, and route paths in the app or in a load balancer in front",
    },
  },
  trustFromFilesOrSds: {
    rule: refused("MF415", "tls.certificateAuthority from a file or SDS is honoured by the provider"),
    scope: "service",
    path: ["tls", "certificateAuthority"],
    when: ({ service }) => service?.tls?.certificateAuthority !== undefined && typeof service.tls.certificateAuthority !== "string",
    onKey: false,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect": "Service Connect issues certificates from an AWS Private CA only: give the CA's ARN (arn:aws:acm-pca:...)",
    },
  },
  permissiveTls: {
    rule: refused("MF416", "tls.mode PERMISSIVE is honoured by the provider"),
    scope: "service",
    path: ["tls", "mode"],
    when: ({ service }) => service?.tls?.mode === "PERMISSIVE",
    onKey: false,
    honouredBy: ["appmesh"],
    refusal: {
      "service-connect":
        "Service Connect's TLS has no permissive mode: once on, every call to the service is encrypted by the proxies; remove mode (STRICT)",
    },
  },
  ecsDeployments: {
    rule: refused("MF417", "deployment.strategy blue-green, linear or canary is honoured by the provider"),
    scope: "service",
    path: ["deployment", "strategy"],
    when: ({ service }) => service?.deployment?.strategy !== undefined && service.deployment.strategy !== "rolling",
    onKey: false,
    honouredBy: ["service-connect"],
    refusal: {
      appmesh:
        "ECS shifts traffic between revisions only through Service Connect or a load balancer, and App Mesh services are found through Cloud Map; under App Mesh, release with versions and routes that weigh them (e.g. to: { v1: 90, v2: 10 }): use strategy: rolling",
    },
  },
  testTraffic: {
    rule: refused("MF418", "deployment.testTraffic is honoured by the provider"),
    scope: "service",
    path: ["deployment", "testTraffic"],
    // Under a rolling deployment testTraffic is refused for every provider (deploymentSettings).
    when: ({ service }) => service?.deployment?.strategy !== "rolling",
    onKey: true,
    honouredBy: ["service-connect"],
    refusal: {
      appmesh:
        "routes test traffic through Service Connect's proxies; under App Mesh, give the new version a route that matches the header (routes[].match.headers): remove testTraffic",
    },
  },
  callerBackoff: {
    rule: refused("MF419", "route.retryPolicy.backoff is honoured by the provider"),
    scope: "service",
    path: ["route", "retryPolicy", "backoff"],
    onKey: true,
    honouredBy: ["service-connect"],
    refusal: {
      appmesh:
        "App Mesh's Envoy backs off between retries on its own (25ms base, up to 250ms) and cannot be configured; remove backoff (it applies under Service Connect, where the caller retries)",
    },
  },
  webIngress: {
    rule: refused("MF420", "the environment's ingress (an Application Load Balancer) is honoured by the provider"),
    scope: "environment",
    path: ["ingress"],
    onKey: true,
    honouredBy: ["service-connect"],
    refusal: {
      appmesh:
        "App Mesh reached end of life on 2026-09-30, and its services are reached from outside through a virtual gateway: give a service its own ingress (a Network Load Balancer in front of its gateway), or move the environment to service-connect",
    },
  },
} as const satisfies Record<string, FieldRow>;

export const BEHAVIOURS = {
  callersAfterBackends: {
    honouredBy: ["service-connect"],
    why: "a task resolves only the endpoints that existed when it started, so a caller's ECS service is created after its backends'",
  },
  readinessGate: {
    honouredBy: ["service-connect"],
    why: "the provider has no health check of its own, so a gate container holds the task back until the app's container health check passes (aws/containers-roadmap#2334)",
  },
  deployable: {
    honouredBy: ["service-connect"],
    why: "AWS still serves it: App Mesh reached end of life on 2026-09-30, and its stacks can no longer be applied",
  },
  ingressGateway: {
    honouredBy: ["appmesh"],
    why: "the ingress load balancer reaches the provider's own gateway, which routes to the service, instead of the service's tasks",
  },
  requestMetrics: {
    honouredBy: ["service-connect"],
    why: "its proxies publish requests, response codes and response times to CloudWatch by themselves (MeshProvider.metrics), which request scaling and the error-rate and latency alarms read; App Mesh's Envoy publishes none without a CloudWatch agent beside it",
  },
} as const satisfies Record<string, BehaviourRow>;

export type Feature = keyof typeof FIELDS | keyof typeof BEHAVIOURS;

const ROWS: Record<Feature, { honouredBy: readonly ProviderId[] }> = { ...FIELDS, ...BEHAVIOURS };

export const honours = (provider: ProviderId, feature: Feature): boolean => ROWS[feature].honouredBy.includes(provider);

/** The one check that reads the table: every field written that `provider` does not honour, at its line. */
export function refusals(provider: ProviderId): Check {
  const rows = Object.values(FIELDS as Record<string, FieldRow>).filter((row) => !row.honouredBy.includes(provider));
  return (parts, source) => {
    const out: Diagnostic[] = [];
    const refuse = (row: FieldRow, path: string[], service?: ServiceParts) => {
      if (!written(source, path)) return;
      if (row.when && !row.when({ value: source.valueAt(path), service })) return;
      out.push(source.report(row.rule, path, row.refusal[provider]!, row.onKey));
    };
    for (const row of rows) {
      if (row.scope === "environment") refuse(row, [...row.path]);
      else for (const [name, s] of servicesOf(parts)) refuse(row, ["services", name, ...row.path], s);
    }
    return out;
  };
}

/** The rules of the table, for the rule catalogue. */
export const capabilityRules = (): Rule[] => Object.values(FIELDS as Record<string, FieldRow>).map((row) => row.rule);
