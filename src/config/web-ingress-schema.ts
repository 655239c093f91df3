/**
 * The environment's HTTP(S) way in: one Application Load Balancer whose listener rules send requests to
 * services by host and path. Patterns follow ELB's rules for conditions ("Add a listener rule", ELB guide:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/add-rule.html): a host header is at most
 * 128 characters of a-z, A-Z, 0-9, - _ . and the wildcards * and ?, with at least one "." and only letters after
 * the last; a path at most 128 characters of a-z, A-Z, 0-9, _ - . $ / ~ " ' @ : + & and the wildcards.
 */
import { z } from "zod";
import { acmCertificate, ServiceName } from "./schema-primitives";
import { allowedCidrs, loadBalancerScheme } from "./traffic-schema";

/** ELB's quota of rules per Application Load Balancer, default rules aside (Quotas for your Application Load Balancers). */
export const WEB_RULES_MAX = 100;

const HOST = /^[a-zA-Z0-9\-_.*?]{1,128}$/;
const PATH = /^\/[a-zA-Z0-9_\-.$/~"'@:+&*?]{0,127}$/;

export const WebRuleSchema = z
  .strictObject({
    host: z
      .string()
      .regex(HOST, { error: "a host may hold letters, digits, - _ . and the wildcards * and ?, up to 128 characters" })
      .refine((h) => /\.[a-zA-Z*?]+$/.test(h), {
        error: 'a host needs a "." with only letters (or wildcards) after the last one, such as "app.example.com" or "*.example.com"',
      })
      .optional()
      .describe('Host header to match, case-insensitive, e.g. "app.example.com" or "*.example.com" (* any characters, ? one).'),
    path: z
      .string()
      .regex(PATH, {
        error:
          "a path starts with / and may hold letters, digits, _ - . $ / ~ \" ' @ : + & and the wildcards * and ?, up to 128 characters",
      })
      .optional()
      .describe('Path to match, case-sensitive, e.g. "/api/*" (* any characters, ? one). Without host, "/*" matches every request.'),
    to: ServiceName.describe("The service that answers: one of this file's services, over HTTP, HTTP/2 or gRPC (not tcp)."),
  })
  .refine((r) => r.host !== undefined || r.path !== undefined, {
    error: 'a rule matches a host, a path or both: add host or path (path: "/*" matches every request)',
  });

export const WebIngressSchema = z.strictObject({
  scheme: loadBalancerScheme.describe(
    "internal: reachable inside the VPC; internet-facing: from the internet too, in network.publicSubnetIds, which needs a certificate. Default internal.",
  ),
  certificate: acmCertificate
    .optional()
    .describe(
      "ACM certificate: HTTPS on 443 (TLS 1.2 and 1.3 only), and plain HTTP on 80 redirected to it. Without it (internal only): plain HTTP on 80.",
    ),
  allowedCidrs: allowedCidrs.describe("IPv4 blocks allowed to reach the load balancer (on 443, and 80 for the redirect); nobody else is."),
  rules: z
    .array(WebRuleSchema)
    .min(1, { error: "must route at least one host or path to a service" })
    .max(WEB_RULES_MAX, { error: `an Application Load Balancer holds at most ${WEB_RULES_MAX} rules (ELB quota)` })
    .describe("Listener rules, tried in the order written (the first is priority 1); a request no rule matches gets a 404."),
});
