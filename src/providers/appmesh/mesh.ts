import { AppmeshMesh } from "@cdktf/provider-aws/lib/appmesh-mesh";
import { Construct } from "constructs";

export interface MeshProps {
  name: string;
  egress: "DROP_ALL" | "ALLOW_ALL";
  ipPreference?: string;
}

/** The App Mesh service mesh: its egress filter and, if set, which addresses Envoy prefers. */
export class Mesh extends Construct {
  readonly mesh: AppmeshMesh;

  constructor(scope: Construct, id: string, props: MeshProps) {
    super(scope, id);
    this.mesh = new AppmeshMesh(this, "mesh", {
      name: props.name,
      spec: {
        egressFilter: { type: props.egress },
        ...(props.ipPreference && { serviceDiscovery: { ipPreference: props.ipPreference } }),
      },
    });
  }

  get name(): string {
    return this.mesh.name;
  }
}
