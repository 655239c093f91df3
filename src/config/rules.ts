/**
 * Every problem meshform reports is raised by a rule with a stable id, printed with it (`[MF201]`), in the
 * manner of cdk-nag's rule ids and aws-cdk's ValidationError ids: users search for it, acknowledge a warning
 * by it (`acknowledge: { MF305: "why" }`), and the review refers to it. A rule's level is fixed: an error
 * cannot be acknowledged. Ids are never reused for another meaning; a retired rule keeps its number.
 *
 * The rules of the capability table (what a mesh provider cannot honour) are rows of that table
 * (src/providers/capabilities.ts, MF4xx); a provider's own rules live in its folder (MF5xx). A test checks
 * that every id is unique across all of them.
 */
import type { Severity } from "./diagnostics";

export interface Rule {
  readonly id: string;
  readonly level: Severity;
  /** What the rule is about, as a heading: "backends name services of this file". */
  readonly title: string;
  /** Where the AWS behaviour it relies on is written (apply-time rules: what a plan cannot see). */
  readonly source?: string;
}

const rule = (id: string, level: Severity, title: string, source?: string): Rule => ({ id, level, title, ...(source && { source }) });

export const RULES = {
  // The file itself (MF0xx)
  file: rule("MF001", "error", "the environment file can be read: it exists, is UTF-8 YAML within the size limit, one document"),
  schema: rule("MF002", "error", "every value has the type, range and form the schema describes"),
  unknownKey: rule("MF003", "error", "every key is one the schema knows"),
  cdktfMarker: rule("MF004", "error", "no text holds cdktf's token marker"),
  acknowledgement: rule("MF005", "error", "an acknowledgement names a warning's id, with a reason"),
  unusedAcknowledgement: rule("MF006", "warning", "an acknowledgement matches a warning that is raised"),
  // The environment and its names (MF1xx)
  environmentName: rule("MF101", "error", "the environment is named after its file, as a DNS label"),
  nameLength: rule("MF102", "error", "every name meshform derives fits AWS's length limits"),
  reservedName: rule("MF103", "error", "no derived name starts with a prefix AWS reserves"),
  distinctNames: rule("MF104", "error", "every service derives AWS names of its own, apart from another's and its ingress gateway's"),
  // Services (MF2xx)
  backend: rule("MF201", "error", "backends name other services of this file, once each"),
  externalBackend: rule("MF202", "error", "external backends name externalServices, once each"),
  fargateSize: rule("MF203", "error", "the task's CPU and memory are a Fargate size, with room for the app beside the sidecars"),
  reservedVariable: rule("MF204", "error", "environment does not set a variable meshform sets itself"),
  taskDefinitionSize: rule("MF205", "error", "the task definition fits ECS's 65,536 bytes"),
  // Traffic: releases, routes, ways in, timeouts (MF3xx)
  deploymentSettings: rule("MF301", "error", "a deployment's settings belong to its strategy"),
  rollbackAlarms: rule(
    "MF302",
    "error",
    "linear and canary deployments have alarms that roll them back: rollbackAlarms, or meshform's own",
    'ECS guide, "Amazon ECS deployment failure detection": both methods (circuit breaker, CloudWatch alarms) "only support rolling update deployment and blue/green deployment types"',
  ),
  ingressTls: rule("MF303", "error", "an internet-facing load balancer terminates TLS"),
  certificateRegion: rule("MF304", "error", "a certificate is in the stack's region"),
  ingressOpen: rule("MF305", "warning", "an internet-facing load balancer admits named networks, not the whole internet"),
  routes: rule("MF306", "error", "routes have unique names and priorities and send to declared versions"),
  idleVersion: rule("MF307", "warning", "every version gets traffic"),
  retriesFit: rule("MF308", "warning", "the retries a route allows fit in its timeout"),
  backendTimeout: rule("MF309", "warning", "a backend's timeout lets each try of its callers finish"),
  callerTimeout: rule("MF310", "warning", "a caller's timeout lets its calls to a backend finish"),
  webRules: rule("MF311", "error", "the environment's load balancer sends each host and path once, to an HTTP service of this file"),
  webHttps: rule(
    "MF312",
    "error",
    "HTTP/2 and gRPC services behind the environment's load balancer are reached over HTTPS",
    'ELB guide, "Target groups for your Application Load Balancers", protocol version: gRPC and HTTP/2 are supported only with HTTPS listeners (AWS What\'s New, 2020-10-29: "choose HTTPS as your listener protocol, gRPC as the protocol version")',
  ),
  webDeployment: rule("MF313", "error", "services behind the environment's load balancer deploy rolling"),
  // What AWS enforces at apply time, which an offline plan cannot see (MF6xx)
  publicSubnets: rule(
    "MF601",
    "error",
    "an internet-facing load balancer is placed in public subnets",
    'ELB guide, "Clients cannot connect to an internet-facing load balancer": "You must specify public subnets for your load balancer. A public subnet has a route to the Internet Gateway"',
  ),
  tracingPorts: rule(
    "MF602",
    "error",
    "no app listens on a port of the tracing collector beside it",
    "ECS guide, task networking (awsvpc): containers of a task share its network namespace, so two cannot listen on one port",
  ),
  immutableLatest: rule(
    "MF603",
    "error",
    "an image tag in the environment's repository is one that can be pushed once",
    'ECR guide, "Preventing image tags from being overwritten": on an IMMUTABLE repository "the ImageTagAlreadyExistsException error is returned if you push an image with a tag that is already in the repository"',
  ),
  localState: rule(
    "MF604",
    "warning",
    "an environment that deploys keeps its Terraform state remotely",
    'GitHub docs, "About GitHub-hosted runners": each job runs in a fresh virtual machine, so local state is lost with it',
  ),
  movedField: rule("MF605", "error", "a field that moved is written where it now lives"),
  healthCheckTimeout: rule(
    "MF607",
    "error",
    "a load balancer's health check times out before the next one starts",
    'ELB refuses a target group whose health check timeout is not below its interval: "Health check interval must be greater than the timeout" (ValidationError, quoted in zalando-incubator/kube-ingress-aws-controller#392; aws/aws-cdk#29075 checks it before deploying)',
  ),
  movedFrom: rule("MF606", "error", "mesh.movedFrom names the provider the environment left, not the one it uses"),
  awaitingImage: rule(
    "MF608",
    "warning",
    "a service from the environment's own repository names the image tag it runs",
    "ECS runs no task whose image cannot be pulled (CannotPullContainerError), and the apply that creates the repository leaves it empty: until imageTag names a pushed image, meshform runs the service at 0 tasks",
  ),
  // The container's runtime, and what it is allowed (MF8xx): secure defaults, every opt-out written and named
  rootUser: rule("MF801", "warning", "containers run as a non-root user"),
  writableRoot: rule("MF802", "warning", "the app runs on a read-only root filesystem"),
  plainSecret: rule("MF803", "warning", "secrets are ECS secrets, not plain environment variables"),
  wildcardAction: rule("MF804", "error", "a permission names the actions it allows"),
  wildcardResource: rule("MF805", "warning", "a permission names the resources it allows, but for read-only List and Describe calls"),
  noHealthCheck: rule(
    "MF806",
    "warning",
    "a Service Connect service has a container health check",
    "aws/containers-roadmap#2334: Service Connect has no application health check, so traffic can reach a container still starting; ECS holds the task back only on a container health check",
  ),
  logRouter: rule("MF807", "error", "logs sent through FireLens have one log router among the sidecars"),
  imageTag: rule("MF808", "error", "imageTag belongs to the environment's own repository, not to an image given by reference"),
  protocolSettings: rule("MF809", "error", "a service's settings fit its protocol"),
  variableNames: rule("MF810", "error", "a secret's name is not an environment variable's too"),
  containerNames: rule("MF811", "error", "a sidecar's name is not one of meshform's containers"),
  // Operating a service: scaling and alarms (MF7xx)
  scalingRange: rule("MF701", "error", "scaling's range holds desiredCount (the starting count), and every scheduled bound fits it"),
  requestScaling: rule(
    "MF702",
    "error",
    "requestsPerTask scales on request metrics the provider publishes",
    'App Mesh user guide, "Metrics": Envoy\'s statistics "are available through the /stats endpoint on the proxy\'s administration port"; to CloudWatch only by a CloudWatch agent beside it. ECS developer guide, "Amazon ECS CloudWatch metrics": Service Connect\'s RequestCount',
  ),
  fargateQuota: rule(
    "MF703",
    "warning",
    "the tasks at the top of every scaling range fit the account's Fargate vCPU quota",
    'Service Quotas, AWS Fargate, "Fargate On-Demand vCPU resource count" (L-3032A538); its default value in src/config/limits.ts is unverified',
  ),
  canaryTasks: rule("MF704", "warning", "a canary's share of the traffic at the top of the scaling range is at least one task's"),
  canaryErrorRate: rule(
    "MF705",
    "warning",
    "the error-rate alarm can tell a failed canary or linear step",
    "ECS developer guide, Service Connect metrics: HTTPCode_Target_5XX_Count counts a discovery name's answers, every revision's together, so a canary that fails every request raises the rate to its share of the traffic",
  ),
  alarmWithoutMetric: rule("MF706", "warning", "an alarm written for a service has the metrics it needs"),
} as const satisfies Record<string, Rule>;
