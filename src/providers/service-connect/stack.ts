/**
 * Service Connect, construct half. The cluster's default namespace; per ECS service a
 * `service_connect_configuration`: one `service` for the app's named port, discovered under the service's
 * name, reached by clients at the same DNS name and port as an App Mesh virtual service, with the listener's
 * per-request timeout, and the proxy's logs in the service's log group. ECS creates the Cloud Map service
 * named by `discovery_name` itself, so there is no `aws_service_discovery_service` and no
 * `service_registries` (a second registration of the same name would collide).
 */
import { DataAwsAcmpcaCertificateAuthority } from "@cdktf/provider-aws/lib/data-aws-acmpca-certificate-authority";
import { Op } from "cdktf";
import type { Construct } from "constructs";
import type { ResolvedService } from "../../config/model";
import { InfrastructureRole } from "../../constructs/infrastructure-role";
import type { ProviderStack, ProviderStackFactory } from "../provider";
import { tlsRoleName } from "./names";
import { serviceConnectTlsStatements } from "./tls-policy";

/**
 * The proxies' access logs, one line per request in the service's log group (beside the proxy's own logs), as
 * JSON, without query strings (they may carry secrets). The block is
 * `service_connect_configuration.access_log_configuration { format = TEXT | JSON, include_query_parameters =
 * ENABLED | DISABLED }` (hashicorp/terraform-provider-aws#45820; `format` required, `include_query_parameters` a
 * string enum), which arrived in provider 6.34.0 (terraform-aws-modules/ecs raised its provider floor from 6.28 to
 * 6.34 to use it, commit 98e6abb, PR #401), after 6.25.0 that @cdktf/provider-aws 21.22.1 is generated from: so it
 * is set by override, and the stacks pin 6.34.0 (stacks/shared.ts).
 */
export const ACCESS_LOGS = { format: "JSON", include_query_parameters: "DISABLED" } as const;

/** Service Connect's default idle timeout for HTTP (5 minutes); it must not end a request the per-request timeout allows. */
const DEFAULT_IDLE_SECONDS = 300;

/** The Private CAs the environment's services take their certificates from, by ARN. */
const authoritiesOf = (services: readonly ResolvedService[]) => [
  ...new Set(services.flatMap((s) => (s.tls && "acm" in s.tls.trust ? [s.tls.trust.acm] : []))),
];

export const serviceConnectStack: ProviderStackFactory = (scope, { env, namespace, cluster }): ProviderStack => {
  cluster.cluster.putServiceConnectDefaults({ namespace: namespace.arn });
  const authorities = authoritiesOf(env.services);
  const tlsRole =
    authorities.length > 0
      ? new InfrastructureRole(scope, "service-connect-tls", {
          name: tlsRoleName(env.names),
          description: "ECS infrastructure: issue Service Connect TLS certificates from the environment's Private CAs",
          policy: { name: "issue-service-connect-certificates", statements: serviceConnectTlsStatements(authorities) },
        })
      : undefined;
  // ECS issues certificates only from an ACTIVE CA (one still pending its certificate, disabled or expired issues
  // none): said at plan time, where the CA is read, rather than by tasks that never become healthy.
  const activeCa = new Map(
    authorities.map((arn, i) => {
      const ca = new DataAwsAcmpcaCertificateAuthority(scope, `service-connect-ca-${i}`, { arn });
      return [
        arn,
        {
          condition: Op.eq(ca.status, "ACTIVE"),
          errorMessage: `Service Connect TLS: the Private CA ${arn} must be ACTIVE to issue the tasks' certificates.`,
        },
      ];
    }),
  );
  return {
    outputs: {},
    ecsServiceOverrides: () => ({ "service_connect_configuration.access_log_configuration": ACCESS_LOGS }),
    service(_scope: Construct, s: ResolvedService, { logGroupName }) {
      const perRequest = Math.ceil(s.requestTimeoutMs / 1000);
      const test = s.deployment.testTraffic;
      return {
        versions: [
          {
            refs: {},
            ecsService: {
              serviceConnectConfiguration: {
                enabled: true,
                namespace: namespace.arn,
                service: [
                  {
                    portName: s.name,
                    discoveryName: s.names.discovery,
                    clientAlias: {
                      port: s.port,
                      dnsName: s.names.dnsName,
                      // During a blue-green, linear or canary deployment, requests with this header reach the new revision.
                      ...(test && { testTrafficRules: [{ header: { name: test.header, value: { exact: test.exact } } }] }),
                    },
                    // "perRequestTimeout can only be set if Service Connect appProtocol isn't TCP" (ECS API reference,
                    // TimeoutConfiguration): a TCP service keeps the default idle timeout (an hour) and nothing else.
                    ...(s.protocol !== "tcp" && {
                      timeout: {
                        perRequestTimeoutSeconds: perRequest,
                        ...(perRequest > DEFAULT_IDLE_SECONDS && { idleTimeoutSeconds: perRequest }),
                      },
                    }),
                    // The proxies encrypt every call to the service with certificates ECS issues from the CA.
                    ...(s.tls &&
                      tlsRole &&
                      "acm" in s.tls.trust && {
                        tls: { issuerCertAuthority: { awsPcaAuthorityArn: s.tls.trust.acm }, roleArn: tlsRole.role.arn },
                      }),
                  },
                ],
                logConfiguration: {
                  logDriver: "awslogs",
                  options: { "awslogs-group": logGroupName, "awslogs-region": env.region, "awslogs-stream-prefix": "service-connect" },
                },
              },
            },
          },
        ],
        taskStatements: [],
        pullRepositories: [],
        outputs: {},
        // "appProtocol is immutable in a Service Connect service. Updating this field requires a service deletion
        // and redeployment." (ECS API reference, PortMapping: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html)
        replaceServiceWhen: { appProtocol: s.protocol === "tcp" ? "none (TCP)" : s.protocol },
        ...(s.tls && tlsRole && { dependsOn: [tlsRole.grant] }),
        ...(s.tls && "acm" in s.tls.trust && { preconditions: [activeCa.get(s.tls.trust.acm)!] }),
      };
    },
  };
};
