/**
 * A VPC Lattice task: the app alone (Lattice is outside the task, so there is no proxy to add), its port mapping
 * named so that ECS registers it in the target groups (VpcLatticeConfiguration.portName: "the name of the
 * portMapping you defined in your task definition", ECS API reference), and the app told, for each backend, its
 * Lattice URL and how to sign its calls (SigV4, for the service `vpc-lattice-svcs` in the stack's region).
 */
import { backendVariables, signingVariables } from "../../config/app-environment";
import type { ResolvedEnvironment, ResolvedService } from "../../config/model";
import type { ContainerInputs, ProviderContainers } from "../provider";
import { LISTENER, latticeServiceName, SIGNING_SERVICE } from "./facts";

/** The ref holding a backend's Lattice domain name (the caller's VersionPieces.refs). */
export const backendDomainRef = (backend: string) => `domain:${backend}`;

/** What a caller learns of each backend under Lattice: its https URL (and host and port, for gRPC clients), and how to sign. */
function backendEnvironment(env: ResolvedEnvironment, service: ResolvedService, refs: Record<string, string>): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const b of service.backends) {
    const domain = refs[backendDomainRef(b.service)];
    const names = backendVariables(b.service);
    const signing = signingVariables(b.service);
    // No domain outside a stack (the local harness): the URL stays the core's, which the harness replaces.
    if (domain !== undefined) {
      vars[names.url] = `https://${domain}`;
      if (b.protocol === "grpc") Object.assign(vars, { [names.host]: domain, [names.port]: String(LISTENER.port) });
    }
    Object.assign(vars, { [signing.service]: SIGNING_SERVICE, [signing.region]: env.region });
  }
  return vars;
}

export function latticeContainers({ env, service, refs }: ContainerInputs): ProviderContainers {
  return {
    sidecars: [],
    appDependsOn: [],
    portMapping: { name: service.name },
    environment: backendEnvironment(env, service, refs),
    // Any uid but root: the one the other providers give the tracing collector.
    tracingUser: "1337",
  };
}

/** A Lattice domain name as long as a real one: `<service name>-<service id>.<partition id>.vpc-lattice-svcs.<region>.on.aws` (user guide, service-custom-domain-name.html). */
export function placeholderDomains(env: ResolvedEnvironment, service: ResolvedService): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const b of service.backends) {
    const target = env.services.find((s) => s.name === b.service);
    const name = target ? latticeServiceName(target.names) : b.service;
    refs[backendDomainRef(b.service)] = `${name}-svc-0123456789abcdef0.7d67968.${SIGNING_SERVICE}.${env.region}.on.aws`;
  }
  return refs;
}
