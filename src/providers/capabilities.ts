/**
 * What each mesh provider can and cannot honour, as one table. A row is a feature: the YAML fields that ask
 * for it (if any), the providers that honour it, and for every other provider what to say at the field's
 * line, naming the alternative. One check reads the table (refusals), so refusals grow with the number of
 * fields, not with providers squared; the rest of meshform asks `provider.supports(feature)` instead of
 * comparing provider names. Adding a provider means adding its id to the rows it honours and its message to
 * the others (a test fails until every row has one), but for rows inside a row it refuses (`within`: a route's
 * matches where `routes` is refused, TLS's parts where `tls` is), which its refusal of the outer one covers.
 */
import { type Check, servicesOf, written } from "../config/checks/check";
import type { Diagnostic } from "../config/diagnostics";
import type { ServiceParts } from "../config/parts";
import type { Rule } from "../config/rules";
import type { ProviderId } from "./provider";

type RouteParts = NonNullable<ServiceParts["routes"]>[number];

interface FieldRow {
  /** The rule that refuses it: its id is the row's. */
  rule: Rule;
  /** Where it is written: from the top of the file, under every service, or under every route of `routes`. */
  scope: "environment" | "service" | "route";
  path: readonly string[];
  /**
   * A row whose field lives inside another row's: checked only for providers that honour that one, since the
   * others refuse the whole of it already (a route's matches, where `routes` is refused; TLS's parts, where `tls` is).
   */
  within?: "routes" | "serviceTls";
  /** Refused only when this holds of what is written (by default, whenever the field is written). */
  when?: (written: { value: unknown; service: ServiceParts | undefined; route?: RouteParts }) => boolean;
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

/** Header matches in one VPC Lattice rule at most (listener_rule header_matches MaxItems 5, terraform-provider-aws). */
const LATTICE_HEADER_MATCHES = 5;

/**
 * Whether `route`'s value of `pick` differs from the one most routes of its service have (of values as common, the
 * later route's, usually the catch-all's): the odd routes out are where to change it. A default counts as written.
 */
function differsFromOtherRoutes(
  service: ServiceParts | undefined,
  route: RouteParts | undefined,
  pick: (r: RouteParts) => unknown,
): boolean {
  const values = (service?.routes ?? []).map((r) => JSON.stringify(pick(r)));
  const count = (v: string | undefined) => values.filter((x) => x === v).length;
  const usual = values.reduce((a, b) => (count(b) >= count(a) ? b : a), values[0]);
  return route !== undefined && JSON.stringify(pick(route)) !== usual;
}

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
      "vpc-lattice":
        "VPC Lattice has no egress filter: tasks reach what their security group allows (meshform's allows HTTPS, which carries the calls to Lattice, and the external services' ports); remove egress",
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
      "vpc-lattice": "VPC Lattice reaches the tasks at the IPv4 addresses ECS registers in its target groups; remove ipPreference",
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
      "vpc-lattice": "VPC Lattice puts no proxy in the task: calls go through the service network, outside it; remove envoy",
    },
  },
  proxyShare: {
    rule: refused("MF404", "mesh.proxy is honoured by the provider"),
    scope: "environment",
    path: ["mesh", "proxy"],
    onKey: true,
    honouredBy: ["service-connect"],
    refusal: {
      appmesh: "sizes the proxy Service Connect injects; under App Mesh, size the Envoy sidecar with mesh.envoy",
      "vpc-lattice": "VPC Lattice injects no proxy into the task, so there is no share to leave it; remove proxy",
    },
  },
  healthyThreshold: {
    rule: refused("MF405", "healthCheck.healthyThreshold is honoured by the provider"),
    scope: "service",
    path: ["healthCheck", "healthyThreshold"],
    onKey: true,
    honouredBy: ["appmesh", "vpc-lattice"],
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
      "vpc-lattice":
        "VPC Lattice has no outlier detection: its active health checks (healthCheck) take a failing task out of its target group; remove outlierDetection",
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
      "vpc-lattice":
        "VPC Lattice has no connection pool settings; remove connectionPool, and bound concurrency in the caller (its retry budget limits retries already)",
    },
  },
  listenerCertificate: {
    rule: refused("MF408", "tls.certificate is honoured by the provider"),
    scope: "service",
    within: "serviceTls",
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
    within: "serviceTls",
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
    refusal: {
      "service-connect": "Service Connect's proxies present no client certificates (no mutual TLS); remove clientCertificate",
      "vpc-lattice":
        "VPC Lattice authenticates callers by their IAM role (they sign their calls with SigV4), not by certificates; remove clientCertificate",
    },
  },
  versions: {
    rule: refused("MF411", "versions are honoured by the provider"),
    scope: "service",
    path: ["versions"],
    onKey: true,
    honouredBy: ["appmesh", "vpc-lattice"],
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
    honouredBy: ["appmesh", "vpc-lattice"],
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
    honouredBy: ["appmesh", "vpc-lattice"],
    refusal: { "service-connect": "Service Connect has no routes to order; remove priority" },
  },
  pathRouting: {
    rule: refused("MF414", "route.prefix other than / is honoured by the provider"),
    scope: "service",
    path: ["route", "prefix"],
    when: ({ service }) => service?.route?.prefix !== "/",
    onKey: false,
    honouredBy: ["appmesh", "vpc-lattice"],
    refusal: {
      "service-connect":
        "Service Connect sends every request for a service to it, with no path routing; remove prefix, and route paths in the app or in a load balancer in front",
    },
  },
  trustFromFilesOrSds: {
    rule: refused("MF415", "tls.certificateAuthority from a file or SDS is honoured by the provider"),
    scope: "service",
    within: "serviceTls",
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
    within: "serviceTls",
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
      "vpc-lattice":
        "ECS shifts traffic between revisions only through Service Connect or a load balancer, not through VPC Lattice's target groups here; under VPC Lattice, release with versions and routes that weigh them (e.g. to: { v1: 90, v2: 10 }): use strategy: rolling",
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
      "vpc-lattice":
        "routes test traffic through Service Connect's proxies; under VPC Lattice, give the new version a route that matches the header (routes[].match.headers): remove testTraffic",
    },
  },
  callerBackoff: {
    rule: refused("MF419", "route.retryPolicy.backoff is honoured by the provider"),
    scope: "service",
    path: ["route", "retryPolicy", "backoff"],
    onKey: true,
    honouredBy: ["service-connect", "vpc-lattice"],
    refusal: {
      appmesh:
        "App Mesh's Envoy backs off between retries on its own (25ms base, up to 250ms) and cannot be configured; remove backoff (it applies under Service Connect, where the caller retries)",
    },
  },
  webIngress: {
    rule: refused("MF429", "the environment's ingress (an Application Load Balancer) is honoured by the provider"),
    scope: "environment",
    path: ["ingress"],
    onKey: true,
    // Under VPC Lattice the load balancer reaches the tasks directly, beside the service network (an ECS service takes
    // both a load_balancer and vpc_lattice_configurations).
    honouredBy: ["service-connect", "vpc-lattice"],
    refusal: {
      appmesh:
        "App Mesh reached end of life on 2026-09-30, and its services are reached from outside through a virtual gateway: give a service its own ingress (a Network Load Balancer in front of its gateway), or move the environment to service-connect",
    },
  },
  serviceTls: {
    rule: refused("MF420", "tls is honoured by the provider"),
    scope: "service",
    path: ["tls"],
    onKey: true,
    honouredBy: ["appmesh", "service-connect"],
    refusal: {
      // "If the listener protocol is HTTPS, VPC Lattice will provision and manage a TLS certificate that is associated
      // with the VPC Lattice generated FQDN" (VPC Lattice user guide, listeners.html).
      "vpc-lattice":
        "VPC Lattice encrypts every call already: meshform gives each service an HTTPS listener with the certificate Lattice manages for its domain name, and its callers an https URL; remove tls (Lattice connects to the tasks in plain HTTP inside the VPC, and uses no certificate or Private CA of yours)",
    },
  },
  plainTcp: {
    rule: refused("MF421", "protocol tcp is honoured by the provider"),
    scope: "service",
    path: ["protocol"],
    when: ({ value }) => value === "tcp",
    onKey: false,
    honouredBy: ["appmesh", "service-connect"],
    refusal: {
      // "TCP target groups are supported only by TLS listeners" (VPC Lattice user guide, target-groups.html): a client
      // must speak TLS end to end, which a database or cache client in plain TCP does not.
      "vpc-lattice":
        "VPC Lattice carries HTTP and HTTPS, and TCP only inside TLS the client speaks end to end (a TLS passthrough listener); use Service Connect for this environment, or give the service an HTTP interface",
    },
  },
  requestTimeout: {
    rule: refused("MF422", "a service's timeout is honoured by the provider"),
    scope: "service",
    path: ["timeout"],
    onKey: false,
    honouredBy: ["appmesh", "service-connect"],
    refusal: {
      // "There is an idle timeout and overall connection timeout for connections to targets. The idle connection timeout
      // defaults to 60 seconds" (VPC Lattice user guide, services.html); neither listeners nor rules have a request timeout
      // (provider schemas of aws_vpclattice_listener and aws_vpclattice_listener_rule).
      "vpc-lattice":
        "VPC Lattice has no per-request timeout (only an idle timeout, 60s by default, on connections to the tasks); remove timeout: a caller's deadline is the backend's route.timeout (or routes[].timeout), which the caller enforces",
    },
  },
  queryMatch: {
    rule: refused("MF423", "routes[].match.queryParameters is honoured by the provider"),
    scope: "route",
    within: "routes",
    path: ["match", "queryParameters"],
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      // aws_vpclattice_listener_rule match.http_match: method, header_matches, path_match (provider schema, 5.100.0).
      "vpc-lattice":
        "VPC Lattice rules match a method, a path and headers, not query parameters; remove queryParameters, and use a header instead (match.headers)",
    },
  },
  pathRegex: {
    rule: refused("MF424", "routes[].match.path.regex is honoured by the provider"),
    scope: "route",
    within: "routes",
    path: ["match", "path", "regex"],
    onKey: false,
    honouredBy: ["appmesh"],
    refusal: {
      // path_match.match: exact or prefix (provider schema of aws_vpclattice_listener_rule, 5.100.0).
      "vpc-lattice":
        "VPC Lattice matches a path exactly or by its prefix, not by a regular expression; use path: { exact } or prefix, with one route per path if need be",
    },
  },
  headerMatchKind: {
    rule: refused("MF425", "a header match other than exact or prefix is honoured by the provider"),
    scope: "route",
    within: "routes",
    path: ["match", "headers"],
    when: ({ route }) =>
      Object.values(route?.match?.headers ?? {}).some(
        (h) => h.invert === true || h.suffix !== undefined || h.regex !== undefined || h.range !== undefined || h.present !== undefined,
      ),
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      // header_matches.match: exact, prefix or contains, with no inversion (provider schema of aws_vpclattice_listener_rule, 5.100.0).
      "vpc-lattice":
        "VPC Lattice matches a header's value exactly or by its prefix (or what it contains), and cannot invert a match; use exact or prefix (suffix, regex, range, present and invert are App Mesh's)",
    },
  },
  headerCount: {
    rule: refused("MF426", "a route matching more than 5 headers is honoured by the provider"),
    scope: "route",
    within: "routes",
    path: ["match", "headers"],
    when: ({ route }) => Object.keys(route?.match?.headers ?? {}).length > LATTICE_HEADER_MATCHES,
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      // header_matches: MinItems 1, MaxItems 5 (hashicorp/terraform-provider-aws internal/service/vpclattice/listener_rule.go).
      "vpc-lattice": `VPC Lattice matches at most ${LATTICE_HEADER_MATCHES} headers in one rule; match ${LATTICE_HEADER_MATCHES} or fewer, and give the rest to the app`,
    },
  },
  routeRetryPolicy: {
    rule: refused("MF427", "a retry policy of each route is honoured by the provider"),
    scope: "route",
    within: "routes",
    path: ["retryPolicy"],
    when: ({ route, service }) => differsFromOtherRoutes(service, route, (r) => r.retryPolicy),
    onKey: true,
    honouredBy: ["appmesh"],
    refusal: {
      "vpc-lattice":
        "VPC Lattice does not retry: the caller does, with one policy for the whole service, since it cannot tell which rule takes a request; give every route of this service the same retryPolicy",
    },
  },
  routeTimeout: {
    rule: refused("MF428", "a timeout of each route is honoured by the provider"),
    scope: "route",
    within: "routes",
    path: ["timeout"],
    when: ({ route, service }) => differsFromOtherRoutes(service, route, (r) => r.timeout),
    onKey: false,
    honouredBy: ["appmesh"],
    refusal: {
      "vpc-lattice":
        "VPC Lattice has no request timeout: the caller bounds its call, with one deadline for the whole service, since it cannot tell which rule takes a request; give every route of this service the same timeout",
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
    honouredBy: ["service-connect", "vpc-lattice"],
    why: "AWS still serves it: App Mesh reached end of life on 2026-09-30, and its stacks can no longer be applied",
  },
  ingressGateway: {
    honouredBy: ["appmesh"],
    why: "the ingress load balancer reaches the provider's own gateway, which routes to the service, instead of the service's tasks",
  },
  requestMetrics: {
    honouredBy: ["service-connect"],
    why: "its proxies publish requests, response codes and response times to CloudWatch by themselves (MeshProvider.metrics), which request scaling and the error-rate and latency alarms read; App Mesh's Envoy publishes none without a CloudWatch agent beside it; meshform reads none of VPC Lattice's yet",
  },
  directCalls: {
    honouredBy: ["appmesh", "service-connect"],
    why: "callers connect to their backends' tasks (through their proxies), so a backend's security group admits its callers' groups; under VPC Lattice calls come from the service network instead (its managed prefix list)",
  },
  listenerTimeouts: {
    honouredBy: ["appmesh", "service-connect"],
    why: "a listener in front of every service bounds each request to it (services.<name>.timeout), so the timeouts along a request's path are checked",
  },
  signedCalls: {
    honouredBy: ["vpc-lattice"],
    why: "callers sign every call with SigV4 and the task role's credentials: the service network lets in only the roles an auth policy names",
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
    const refuse = (row: FieldRow, path: (string | number)[], service?: ServiceParts, route?: RouteParts) => {
      if (!written(source, path)) return;
      if (row.when && !row.when({ value: source.valueAt(path), service, ...(route && { route }) })) return;
      out.push(source.report(row.rule, path, row.refusal[provider]!, row.onKey));
    };
    for (const row of rows) {
      if (row.within && !honours(provider, row.within)) continue;
      if (row.scope === "environment") refuse(row, [...row.path]);
      else
        for (const [name, s] of servicesOf(parts)) {
          if (row.scope === "service") refuse(row, ["services", name, ...row.path], s);
          else for (const [i, route] of (s.routes ?? []).entries()) refuse(row, ["services", name, "routes", i, ...row.path], s, route);
        }
    }
    return out;
  };
}

/** The rules of the table, for the rule catalogue. */
export const capabilityRules = (): Rule[] => Object.values(FIELDS as Record<string, FieldRow>).map((row) => row.rule);
