/** Every AWS resource name meshform derives from an environment, in one place. */
import { createHash } from "node:crypto";

export interface EnvironmentNames {
  /** `${env}-${project}`: prefix of every name and the mesh, cluster and security group name. */
  prefix: string;
  /** Cloud Map private DNS namespace, `${env}.${internalDomain}`. */
  namespace: string;
  /** SQS queue of what services could not deliver (at most 80 characters). */
  deadLetterQueue: string;
  /** The CloudWatch alarm on that queue. */
  deadLetterAlarm: string;
  /** The ECS infrastructure role that shifts a load balancer's traffic during blue-green, linear and canary deployments. */
  loadBalancerDeploymentRole: string;
  /** The environment's Application Load Balancer (top-level `ingress`), and its security group. */
  webLoadBalancer: string;
}

export interface ServiceNames {
  /** Cloud Map discovery service name and DNS label: the service name itself. */
  discovery: string;
  /** The DNS name callers use: `<svc>.<env>.<internalDomain>`, under every provider. */
  dnsName: string;
  ecsService: string;
  taskFamily: string;
  ecrRepository: string;
  logGroup: string;
  executionRole: string;
  taskRole: string;
  /** The security group of its tasks (and of its ingress gateway, under App Mesh, with `-gateway`). */
  securityGroup: string;
  /** Load balancer and target group of an ingress: at most 32 characters (ELB's limit), so long names end in a hash. */
  loadBalancer: string;
  /** The second target group a blue-green, linear or canary deployment behind the load balancer shifts to. */
  alternateTargetGroup: string;
  /** Its target group behind the environment's Application Load Balancer. */
  webTargetGroup: string;
}

const ELB_NAME_MAX = 32;

/**
 * `name` within `max` characters: as it is when it fits, else its first `max - 7` (no trailing hyphen) and 6 hex
 * digits of its hash, so that two long names stay apart and the same name always shortens the same way.
 */
export function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 6);
  return `${name.slice(0, max - 7).replace(/-+$/, "")}-${hash}`;
}

/** ELB names: 32 characters at most. */
export const elbName = (name: string): string => boundedName(name, ELB_NAME_MAX);

export function environmentNames(env: string, project: string, internalDomain: string): EnvironmentNames {
  const prefix = `${env}-${project}`;
  return {
    prefix,
    namespace: `${env}.${internalDomain}`,
    deadLetterQueue: `${prefix}-dead-letters`,
    deadLetterAlarm: `${prefix}-dead-letters-visible`,
    loadBalancerDeploymentRole: `${prefix}-lb-deploy`,
    webLoadBalancer: elbName(`${prefix}-web`),
  };
}

/**
 * A service's part of the names it derives: its name without the words the prefix already ends in, so that project
 * "shop" and service "shop-api" make "prod-shop-api", not "prod-shop-shop-api". Check MF104 refuses two services
 * whose names then meet.
 */
export function serviceWords(prefix: string, service: string): string {
  const [head, tail] = [prefix.split("-"), service.split("-")];
  for (let k = Math.min(head.length, tail.length - 1); k > 0; k--) {
    if (head.slice(-k).join("-") === tail.slice(0, k).join("-")) return tail.slice(k).join("-");
  }
  return service;
}

export function serviceNames(envNames: EnvironmentNames, service: string): ServiceNames {
  const own = serviceWords(envNames.prefix, service);
  const base = `${envNames.prefix}-${own}`;
  return {
    discovery: service,
    dnsName: `${service}.${envNames.namespace}`,
    ecsService: base,
    taskFamily: base,
    ecrRepository: `${envNames.prefix}/${own}`,
    logGroup: `/ecs/${envNames.prefix}/${own}`,
    executionRole: `${base}-exec`,
    taskRole: `${base}-task`,
    securityGroup: base,
    loadBalancer: elbName(base),
    alternateTargetGroup: elbName(`${base}-green`),
    webTargetGroup: elbName(`${base}-web`),
  };
}

/** What is made once per version of a service: without versions, the service's own names. */
export interface VersionNames {
  ecsService: string;
  taskFamily: string;
  /** Cloud Map service the version's tasks register in (a DNS label). */
  discovery: string;
}

export function versionNames(names: ServiceNames, version: string | undefined): VersionNames {
  if (version === undefined) return { ecsService: names.ecsService, taskFamily: names.taskFamily, discovery: names.discovery };
  return {
    ecsService: `${names.ecsService}-${version}`,
    taskFamily: `${names.taskFamily}-${version}`,
    discovery: `${names.discovery}-${version}`,
  };
}
