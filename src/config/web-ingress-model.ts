/** The environment's Application Load Balancer, resolved: its rules in priority order and the services they send to. */
import type { EnvironmentConfig } from "./schema";

export interface WebRule {
  /** ELB's rule priority: the order the rules are written in, from 1. */
  priority: number;
  host?: string;
  path?: string;
  service: string;
}

export interface WebIngress {
  scheme: "internal" | "internet-facing";
  /** HTTPS on 443 with this certificate, and HTTP on 80 redirected to it; without it, HTTP on 80. */
  certificateArn?: string;
  allowedCidrs: string[];
  rules: WebRule[];
  /** The services the rules send to, each once, in the order first named. */
  services: string[];
  /** Seconds a connection may stay idle: at least ELB's default (60), and longer than the slowest routed service's timeout. */
  idleTimeoutSeconds: number;
}

/** ELB's default idle timeout, in seconds ("Connection idle timeout", ELB guide; valid 1 to 4000). */
export const ELB_IDLE_TIMEOUT_SECONDS = 60;
/** Room for a service's own timeout answer to reach the client before the load balancer gives up on the connection. */
const IDLE_MARGIN_SECONDS = 5;

export function webIngress(config: EnvironmentConfig): WebIngress | undefined {
  const i = config.ingress;
  if (!i) return undefined;
  const services = [...new Set(i.rules.map((r) => r.to))];
  const slowest = Math.max(...services.map((s) => config.services[s]!.timeout));
  return {
    scheme: i.scheme,
    ...(i.certificate && { certificateArn: i.certificate }),
    allowedCidrs: i.allowedCidrs,
    rules: i.rules.map((r, n) => ({ priority: n + 1, ...(r.host && { host: r.host }), ...(r.path && { path: r.path }), service: r.to })),
    services,
    idleTimeoutSeconds: Math.max(ELB_IDLE_TIMEOUT_SECONDS, Math.ceil(slowest / 1000) + IDLE_MARGIN_SECONDS),
  };
}
