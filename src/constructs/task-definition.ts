import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { Construct } from "constructs";
import type { ResolvedService } from "../config/model";
import { type TaskContainers, volumeName } from "./container-definitions";

export interface TaskDefinitionProps {
  service: ResolvedService;
  containers: TaskContainers;
  executionRoleArn: string;
  taskRoleArn: string;
}

/** A Fargate task definition: the containers as one JSON string, the provider's proxy configuration if any. */
export class TaskDefinition extends Construct {
  readonly definition: EcsTaskDefinition;

  constructor(scope: Construct, id: string, props: TaskDefinitionProps) {
    super(scope, id);
    const { service, containers } = props;
    this.definition = new EcsTaskDefinition(this, "definition", {
      family: service.names.taskFamily,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(service.task.cpu),
      memory: String(service.task.memory),
      // ARM64 (Graviton) needs Fargate platform version 1.4.0 or later, which LATEST is (ECS task definition parameters).
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: service.runtime.architecture },
      executionRoleArn: props.executionRoleArn,
      taskRoleArn: props.taskRoleArn,
      containerDefinitions: JSON.stringify(containers.containers),
      ...(containers.proxyConfiguration && { proxyConfiguration: containers.proxyConfiguration }),
      // Each writable path a task volume (a bind mount on the task's ephemeral storage).
      ...(service.runtime.writablePaths.length > 0 && {
        volume: service.runtime.writablePaths.map((path) => ({ name: volumeName(path) })),
      }),
    });
  }
}
