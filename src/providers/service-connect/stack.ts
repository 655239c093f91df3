/**
 * Service Connect, construct half. The cluster's default namespace; per ECS service a
 * `service_connect_configuration`: one `service` for the app's named port, discovered under the service's
 * name, reached by clients at the same DNS name and port as an App Mesh virtual service, with the listener's
 * per-request timeout, and the proxy's logs in the service's log group. ECS creates the Cloud Map service
 * named by `discovery_name` itself, so there is no `aws_service_discovery_service` and no
 * `service_registries` (a second registration of the same name would collide).
 */
import type { Construct } from "constructs";
import type { ResolvedService } from "../../config/model";
import { InfrastructureRole, SERVICE_CONNECT_TLS_POLICY } from "../../constructs/infrastructure-role";
import type { ProviderStack, ProviderStackFactory } from "../provider";
import { tlsRoleName } from "./names";

/** Service Connect's default idle timeout for HTTP (5 minutes); it must not end a request the per-request timeout allows. */
const DEFAULT_IDLE_SECONDS = 300;

export const serviceConnectStack: ProviderStackFactory = (scope, { env, namespace, cluster, accountId }): ProviderStack => {
  cluster.cluster.putServiceConnectDefaults({ namespace: namespace.arn });
  const tlsRole = env.services.some((s) => s.tls)
    ? new InfrastructureRole(scope, "service-connect-tls", {
        name: tlsRoleName(env.names),
        description: "ECS infrastructure: issue Service Connect TLS certificates from AWS Private CA",
        accountId,
        policyArn: SERVICE_CONNECT_TLS_POLICY,
      })
    : undefined;
  return {
    outputs: {},
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
                    timeout: {
                      perRequestTimeoutSeconds: perRequest,
                      ...(perRequest > DEFAULT_IDLE_SECONDS && { idleTimeoutSeconds: perRequest }),
                    },
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
        ...(s.tls && tlsRole && { dependsOn: [tlsRole.attachment] }),
      };
    },
  };
};
