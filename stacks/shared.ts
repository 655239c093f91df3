/**
 * What every service of an environment shares: the AWS provider and the state backend, the account, Cloud
 * Map's namespace, the cluster, the tasks' security group, the provider's own part of the stack (App Mesh's
 * mesh; Service Connect's namespace defaults), the dead-letter queue, and the role ECS shifts load balancer
 * traffic with (made on first use).
 */

import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { ResolvedEnvironment } from "../src/config/model";
import { alarmTopicName } from "../src/config/operate-model";
import { AlarmTopic } from "../src/constructs/alarm-topic";
import { CloudMap } from "../src/constructs/cloud-map";
import { Cluster } from "../src/constructs/cluster";
import { DeadLetterQueue } from "../src/constructs/dead-letter-queue";
import { InfrastructureRole, LOAD_BALANCER_DEPLOYMENT_POLICY } from "../src/constructs/infrastructure-role";
import { ServiceSecurityGroup } from "../src/constructs/security-group";
import { WebIngress } from "../src/constructs/web-ingress";
import type { MeshProvider, ProviderStack } from "../src/providers/provider";

/**
 * Local state lives beside the repository's root, not in cdktf.out, and the path is relative to the stack's
 * working directory `cdktf.out/stacks/<env>`: no absolute paths in the JSON.
 */
export const localStatePath = (env: string) => `../../../terraform.${env}.tfstate`;

/**
 * The AWS provider the stacks pin: 6.34.0, the first release with Service Connect's access logs
 * (`service_connect_configuration.access_log_configuration`, hashicorp/terraform-provider-aws#45820;
 * terraform-aws-modules/ecs raised its provider floor from 6.28 to 6.34 to use it, its PR #401), and below the
 * releases after 6.52.0 that a third party reports fail to update ECS services (hashicorp/terraform-provider-aws#49031,
 * as cited by CMSgov/beneficiary-fhir-data PR #3218, which pins 6.52.0; unverified). @cdktf/provider-aws 21.22.1 is
 * generated from 6.25.0: its classes cannot express what came later, which is set by override and listed in
 * src/terraform/offline.ts (NEWER_ATTRIBUTES).
 */
export const AWS_PROVIDER_VERSION = "6.34.0";

export interface SharedParts {
  /** The environment, with user text already escaped for Terraform. */
  env: ResolvedEnvironment;
  provider: MeshProvider;
  /** The account the stack deploys to (a Terraform reference), for confused-deputy conditions. */
  accountId: string;
  cloudMap: CloudMap;
  cluster: Cluster;
  /** Each service's security group, by service: made before any service, since callers and backends name each other's. */
  securityGroups: ReadonlyMap<string, ServiceSecurityGroup>;
  /** The environment's Application Load Balancer, where the file has a top-level `ingress`. */
  web?: WebIngress;
  /** What the provider adds to the stack, per service and for the environment. */
  mesh: ProviderStack;
  deadLetters?: SqsQueue;
  /** The SNS topic every alarm notifies: the file's alarmTopicArn, else one meshform makes (when any alarm exists). */
  alarmTopicArn?: string;
  /** Whether meshform made that topic (its ARN is then an output). */
  ownAlarmTopic: boolean;
  /** The role ECS shifts a load balancer's traffic with in blue-green, linear and canary deployments. */
  loadBalancerDeployments(): InfrastructureRole;
}

export function sharedParts(stack: TerraformStack, env: ResolvedEnvironment, provider: MeshProvider): SharedParts {
  new AwsProvider(stack, "aws", { region: env.region, defaultTags: [{ tags: env.tags }] });
  stack.addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_VERSION);
  if (env.state) {
    new S3Backend(stack, { ...env.state, encrypt: true });
    // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3BackendConfig predates the option.
    stack.addOverride("terraform.backend.s3.use_lockfile", true);
  } else new LocalBackend(stack, { path: localStatePath(env.name) });

  const accountId = new DataAwsCallerIdentity(stack, "account").accountId;
  const cloudMap = new CloudMap(stack, "cloud-map", { namespace: env.names.namespace, vpcId: env.network.vpcId });
  const cluster = new Cluster(stack, "cluster", { name: env.names.prefix, ...env.cluster });
  const securityGroups = new Map(
    env.services.map((s) => [
      s.name,
      new ServiceSecurityGroup(stack, `${s.name}-security-group`, {
        name: s.names.securityGroup,
        service: s.name,
        vpcId: env.network.vpcId,
      }),
    ]),
  );
  const web = env.webIngress
    ? new WebIngress(stack, "web", {
        name: env.names.webLoadBalancer,
        ingress: env.webIngress,
        vpcId: env.network.vpcId,
        // An internet-facing load balancer lives in public subnets (ELB guide; check MF601 requires them).
        subnetIds: env.webIngress.scheme === "internet-facing" ? env.network.publicSubnetIds! : env.network.subnetIds,
        services: env.webIngress.services.map((name) => ({
          service: env.services.find((s) => s.name === name)!,
          group: securityGroups.get(name)!,
        })),
      })
    : undefined;
  const mesh = provider.stack.get()(stack, { env, cloudMap, namespace: cloudMap.namespace, cluster, accountId });
  const anyDeadLetters = env.services.some((s) => s.deadLetterQueue);
  // Any alarm to notify: the dead-letter queue's, or a service's own (stacks/add-ons/alarms.ts).
  const anyAlarm = anyDeadLetters || env.services.some((s) => Object.values(s.alarms).some((v) => typeof v === "number"));
  const ownAlarmTopic = env.alarmTopicArn === undefined && anyAlarm;
  const alarmTopicArn = ownAlarmTopic ? new AlarmTopic(stack, "alarm-topic", { name: alarmTopicName(env) }).topic.arn : env.alarmTopicArn;
  const deadLetters = anyDeadLetters
    ? new DeadLetterQueue(stack, "dead-letters", {
        name: env.names.deadLetterQueue,
        alarmName: env.names.deadLetterAlarm,
        ...(alarmTopicArn && { alarmTopicArn }),
      }).queue
    : undefined;
  let lbRole: InfrastructureRole | undefined;
  return {
    env,
    provider,
    accountId,
    cloudMap,
    cluster,
    securityGroups,
    ...(web && { web }),
    mesh,
    ...(deadLetters && { deadLetters }),
    ...(alarmTopicArn && { alarmTopicArn }),
    ownAlarmTopic,
    loadBalancerDeployments: () =>
      (lbRole ??= new InfrastructureRole(stack, "load-balancer-deployments", {
        name: env.names.loadBalancerDeploymentRole,
        description: "ECS infrastructure: shift load balancer traffic in blue-green, linear and canary deployments",
        policy: { managed: LOAD_BALANCER_DEPLOYMENT_POLICY },
      })),
  };
}
