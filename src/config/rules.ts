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
}

const rule = (id: string, level: Severity, title: string): Rule => ({ id, level, title });

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
  // Services (MF2xx)
  backend: rule("MF201", "error", "backends name other services of this file, once each"),
  externalBackend: rule("MF202", "error", "external backends name externalServices, once each"),
  fargateSize: rule("MF203", "error", "the task's CPU and memory are a Fargate size, with room for the app beside the sidecars"),
  reservedVariable: rule("MF204", "error", "environment does not set a variable meshform sets itself"),
  taskDefinitionSize: rule("MF205", "error", "the task definition fits ECS's 65,536 bytes"),
  // Traffic: releases, routes, ways in, timeouts (MF3xx)
  deploymentSettings: rule("MF301", "error", "a deployment's settings belong to its strategy"),
  rollbackAlarms: rule("MF302", "warning", "linear and canary deployments name alarms that roll them back"),
  ingressTls: rule("MF303", "error", "an internet-facing load balancer terminates TLS"),
  certificateRegion: rule("MF304", "error", "a certificate is in the stack's region"),
  ingressOpen: rule("MF305", "warning", "an internet-facing load balancer admits named networks, not the whole internet"),
  routes: rule("MF306", "error", "routes have unique names and priorities and send to declared versions"),
  idleVersion: rule("MF307", "warning", "every version gets traffic"),
  retriesFit: rule("MF308", "warning", "the retries a route allows fit in its timeout"),
  backendTimeout: rule("MF309", "warning", "a backend's timeout lets each try of its callers finish"),
  callerTimeout: rule("MF310", "warning", "a caller's timeout lets its calls to a backend finish"),
} as const satisfies Record<string, Rule>;
