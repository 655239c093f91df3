import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { Construct } from "constructs";
import { appMeshProxyProperties, CONTAINER, type ContainerInputs, containerDefinitions, TMP_VOLUME } from "./container-definitions";

export interface TaskDefinitionProps extends ContainerInputs {
  executionRoleArn: string;
  taskRoleArn: string;
}

/** A Fargate task definition: app, Envoy and X-Ray containers behind the APPMESH proxy configuration. */
export class TaskDefinition extends Construct {
  readonly definition: EcsTaskDefinition;

  constructor(scope: Construct, id: string, props: TaskDefinitionProps) {
    super(scope, id);
    const { service } = props;
    this.definition = new EcsTaskDefinition(this, "definition", {
      family: service.names.taskFamily,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(service.task.cpu),
      memory: String(service.task.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: props.executionRoleArn,
      taskRoleArn: props.taskRoleArn,
      containerDefinitions: JSON.stringify(containerDefinitions(props)),
      proxyConfiguration: { type: "APPMESH", containerName: CONTAINER.envoy, properties: appMeshProxyProperties(service.port) },
      volume: [{ name: TMP_VOLUME }],
    });
  }
}
