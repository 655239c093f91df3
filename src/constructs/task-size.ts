/**
 * ECS refuses a task definition larger than 65,536 bytes (RegisterTaskDefinition: "Max allowed length is
 * '65536' bytes"). Its size is known only once the service is resolved, so this check runs on the model:
 * it measures the container definitions meshform generates, with Terraform references replaced by values
 * as long as the real ones, plus an allowance for the rest of the request.
 */

import type { Diagnostic } from "../config/diagnostics";
import { AWAITING_IMAGE_TAG, type ResolvedEnvironment } from "../config/model";
import { RULES } from "../config/rules";
import type { Source } from "../config/source";
import type { MeshProvider } from "../providers/provider";
import { taskContainers } from "./container-definitions";

export const TASK_DEFINITION_MAX_BYTES = 65_536;
/** Family, role ARNs, sizes, volumes and proxy configuration: what the request holds beside the containers. */
const REST_OF_REQUEST_BYTES = 2_048;
const ACCOUNT = "123456789012";

export function taskDefinitionBytes(env: ResolvedEnvironment, serviceName: string, provider: MeshProvider): number {
  const service = env.services.find((s) => s.name === serviceName)!;
  const { containers } = taskContainers(provider, {
    env,
    service,
    appImage: `${ACCOUNT}.dkr.ecr.${env.region}.amazonaws.com/${service.names.ecrRepository}:${service.imageTag ?? AWAITING_IMAGE_TAG}`,
    logGroupName: service.names.logGroup,
    refs: provider.placeholderRefs(env, service),
    deadLetterQueueUrl: `https://sqs.${env.region}.amazonaws.com/${ACCOUNT}/${env.names.deadLetterQueue}`,
  });
  return Buffer.byteLength(JSON.stringify(containers)) + REST_OF_REQUEST_BYTES;
}

export function taskDefinitionSizes(env: ResolvedEnvironment, source: Source, provider: MeshProvider): Diagnostic[] {
  return env.services.flatMap((s) => {
    const bytes = taskDefinitionBytes(env, s.name, provider);
    if (bytes <= TASK_DEFINITION_MAX_BYTES) return [];
    const n = (v: number) => v.toLocaleString("en-US");
    const msg = `makes the task definition about ${n(bytes)} bytes; ECS accepts at most ${n(TASK_DEFINITION_MAX_BYTES)}: use fewer or shorter variables`;
    return [source.report(RULES.taskDefinitionSize, ["services", s.name, "environment"], msg, true)];
  });
}
