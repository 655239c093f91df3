/**
 * VPC Lattice, construct half. The environment's service network (AWS_IAM: every call is authorized), its
 * association with the VPC, its access logs in a log group of the environment, Lattice's managed prefix list (which
 * the called services' tasks admit), the ECS infrastructure role that registers tasks in target groups, and a Lattice
 * service for each service that others call (a service nothing calls gets none: no one could be allowed to call it,
 * and each costs by the hour). Per version, the ECS service's `vpc_lattice_configurations`; once every task role
 * exists, the auth policies that name them.
 */
import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { VpclatticeAccessLogSubscription } from "@cdktf/provider-aws/lib/vpclattice-access-log-subscription";
import { VpclatticeAuthPolicy } from "@cdktf/provider-aws/lib/vpclattice-auth-policy";
import { VpclatticeServiceNetwork } from "@cdktf/provider-aws/lib/vpclattice-service-network";
import { VpclatticeServiceNetworkVpcAssociation } from "@cdktf/provider-aws/lib/vpclattice-service-network-vpc-association";
import type { Construct } from "constructs";
import type { ResolvedService } from "../../config/model";
import { InfrastructureRole } from "../../constructs/infrastructure-role";
import { LogGroup } from "../../constructs/log-group";
import { policyDocument } from "../../constructs/policy-document";
import type { BuiltService, ProviderStack, ProviderStackFactory, ServicePieces } from "../provider";
import { invokeBackends, networkAuthPolicy, serviceAuthPolicy } from "./auth-policy";
import { calledServices, callersOf } from "./called";
import { backendDomainRef } from "./containers";
import { latticeNames, MANAGED_POLICY, prefixListName } from "./facts";
import { LatticeService } from "./lattice-service";

export const latticeStack: ProviderStackFactory = (scope, { env }): ProviderStack => {
  const names = latticeNames(env.names);
  const callers = callersOf(env);
  const network = new VpclatticeServiceNetwork(scope, "lattice-network", { name: names.serviceNetwork, authType: "AWS_IAM" });
  new VpclatticeServiceNetworkVpcAssociation(scope, "lattice-vpc", {
    serviceNetworkIdentifier: network.id,
    vpcIdentifier: env.network.vpcId,
  });
  // Kept as long as the longest-kept service logs. Lattice adds the log group's resource policy itself ("If the
  // CloudWatch log group doesn't have specific permissions, a resource policy is automatically created": user guide,
  // monitoring-access-logs.html).
  const logs = new LogGroup(scope, "lattice-access-logs", {
    name: names.accessLogGroup,
    retentionInDays: Math.max(...env.services.map((s) => s.logRetentionDays)),
  }).group;
  new VpclatticeAccessLogSubscription(scope, "lattice-access-log-subscription", {
    resourceIdentifier: network.arn,
    destinationArn: logs.arn,
  });
  const called = calledServices(env);
  const lattice = new Map(
    called.map((s) => [
      s.name,
      new LatticeService(scope, `${s.name}-lattice`, { service: s, serviceNetworkId: network.id, vpcId: env.network.vpcId }),
    ]),
  );
  const prefixList =
    called.length > 0 ? new DataAwsEc2ManagedPrefixList(scope, "lattice-prefix-list", { name: prefixListName(env.region) }) : undefined;
  // The trust policy AWS documents for ECS infrastructure roles (InfrastructureRole), with AWS's managed policy for
  // Lattice: RegisterTargets, DeregisterTargets, GetTargetGroup and ListTargets on target groups, EC2 Describe calls
  // (AWS Managed Policy Reference, AmazonECSInfrastructureRolePolicyForVpcLattice, v1).
  const role =
    called.length > 0
      ? new InfrastructureRole(scope, "lattice-infrastructure", {
          name: names.infrastructureRole,
          description: "ECS infrastructure: register the tasks of the environment's services in their VPC Lattice target groups",
          policy: { managed: MANAGED_POLICY },
        })
      : undefined;
  const arnOf = (service: string) => lattice.get(service)!.service.arn;
  return {
    outputs: { lattice_service_network_arn: network.arn },
    service(_scope: Construct, s: ResolvedService): ServicePieces {
      const own = lattice.get(s.name);
      const refs = Object.fromEntries(
        s.backends.map((b) => [backendDomainRef(b.service), lattice.get(b.service)!.service.dnsEntry.get(0).domainName]),
      );
      return {
        versions: s.versions.map((v) => ({
          refs,
          ecsService:
            own && role
              ? {
                  vpcLatticeConfigurations: [
                    { roleArn: role.role.arn, targetGroupArn: own.targetGroups.get(v.name)!.arn, portName: s.name },
                  ],
                }
              : {},
        })),
        taskStatements: s.backends.length > 0 ? [invokeBackends(s.backends.map((b) => arnOf(b.service)))] : [],
        pullRepositories: [],
        outputs: own ? { lattice_dns_name: own.service.dnsEntry.get(0).domainName } : {},
        ...(own && prefixList && { admit: [{ prefixListId: prefixList.id, what: "VPC Lattice (its managed prefix list)" }] }),
        ...(own && role && { dependsOn: [role.grant, own.association] }),
      };
    },
    afterServices(_scope: Construct, built: readonly BuiltService[]) {
      const roleOf = new Map(built.map((b) => [b.service.name, b.taskRoleArn]));
      for (const [name, l] of lattice) {
        new VpclatticeAuthPolicy(scope, `${name}-lattice-auth`, {
          resourceIdentifier: l.service.arn,
          policy: policyDocument(
            ...serviceAuthPolicy(
              l.service.arn,
              callers.get(name)!.map((c) => roleOf.get(c)!),
            ),
          ),
        });
      }
      if (lattice.size === 0) return;
      const everyCaller = [...new Set([...callers.values()].flat())].map((c) => roleOf.get(c)!);
      new VpclatticeAuthPolicy(scope, "lattice-network-auth", {
        resourceIdentifier: network.arn,
        policy: policyDocument(
          ...networkAuthPolicy(
            [...lattice.values()].map((l) => l.service.arn),
            everyCaller,
          ),
        ),
      });
    },
  };
};
