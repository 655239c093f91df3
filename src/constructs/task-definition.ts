import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { Construct } from "constructs";
import type { ResolvedService } from "../config/model";
import { TMP_VOLUME } from "./container-basics";
import type { TaskContainers } from "./container-definitions";

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
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: props.executionRoleArn,
      taskRoleArn: props.taskRoleArn,
      containerDefinitions: JSON.stringify(containers.containers),
      ...(containers.proxyConfiguration && { proxyConfiguration: containers.proxyConfiguration }),
      volume: [{ name: TMP_VOLUME }],
    });
  }
}
