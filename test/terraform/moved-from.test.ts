/**
 * Moving an environment off App Mesh after its end of life (issue 15, row 11): with `mesh.movedFrom: appmesh`, the
 * Service Connect stack tells Terraform to forget the App Mesh resources still in its state. Shown with real
 * Terraform and the AWS provider offline, where no AWS API answers, as App Mesh's no longer does: a plan that
 * called App Mesh to read or delete them would fail here.
 */
import { describe, expect, it } from "vitest";
import { DEV_YAML, edit, resolve } from "../helpers";
import { type Json, synthStack } from "../stack-helpers";
import { mirror, skipped, stateWorkdir, titled } from "./real-terraform";

/** dev, moved to Service Connect as the README says, remembering that it used App Mesh. */
const MOVED = edit(
  edit(
    DEV_YAML,
    "  provider: appmesh\n  egress: DROP_ALL\n  envoy:\n    image: 840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.27.2.0-prod\n",
    "  provider: service-connect\n  movedFrom: appmesh\n",
  ),
  "      prefix: /\n",
  "",
);

/** What App Mesh left in the state: the mesh and a virtual node, as the App Mesh stack named them. */
const APP_MESH_STATE = (mesh: string, node: string) => ({
  version: 4,
  terraform_version: "1.11.4",
  serial: 1,
  lineage: "5b0e3c1e-6f43-4c1a-9a57-0d3f2f8a6c11",
  outputs: {},
  resources: [
    {
      mode: "managed",
      type: "aws_appmesh_mesh",
      name: mesh,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [
        {
          schema_version: 0,
          attributes: {
            id: "dev-smn-app-mesh-ecs",
            name: "dev-smn-app-mesh-ecs",
            arn: "arn:aws:appmesh:eu-west-1:123456789012:mesh/dev-smn-app-mesh-ecs",
            tags: {},
            tags_all: {},
          },
          sensitive_attributes: [],
        },
      ],
    },
    {
      mode: "managed",
      type: "aws_appmesh_virtual_node",
      name: node,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [
        {
          schema_version: 1,
          attributes: {
            id: "node-id",
            name: "dev-smn-app-mesh-ecs-data-processing-node",
            mesh_name: "dev-smn-app-mesh-ecs",
            tags: {},
            tags_all: {},
          },
          sensitive_attributes: [],
        },
      ],
    },
  ],
});

describe.skipIf(skipped !== undefined)(titled("moving off App Mesh, planned"), { timeout: 180_000 }, () => {
  it("forgets every App Mesh resource the old stack made, and a plan from App Mesh's state calls no App Mesh API", async () => {
    if ("reason" in mirror) return;
    const stack = synthStack(resolve(MOVED));
    const removed = (stack.removed as Json[]).map((r) => r.from as string);
    expect(removed.every((a) => a.startsWith("aws_appmesh_"))).toBe(true);
    expect(removed.map((a) => a.split(".")[0]).sort()).toEqual([
      "aws_appmesh_mesh",
      "aws_appmesh_route",
      "aws_appmesh_route",
      "aws_appmesh_virtual_node",
      "aws_appmesh_virtual_node",
      "aws_appmesh_virtual_router",
      "aws_appmesh_virtual_router",
      "aws_appmesh_virtual_service",
      "aws_appmesh_virtual_service",
    ]);
    expect((stack.removed as Json[]).every((r) => r.lifecycle.destroy === false)).toBe(true);
    expect(Object.keys(stack.resource).filter((t) => t.startsWith("aws_appmesh_"))).toEqual([]);

    const [mesh, node] = ["aws_appmesh_mesh.", "aws_appmesh_virtual_node.data-processing-node"].map(
      (p) => removed.find((a) => a.startsWith(p))!.split(".")[1]!,
    );
    const work = await stateWorkdir(stack, APP_MESH_STATE(mesh, node), "moved");
    // A plan as a user runs it: refreshing what the state holds first.
    const messages = await work.plan();
    const forgotten = messages
      .filter((m) => m.type === "planned_change" && m.change.action === "remove")
      .map((m) => m.change.resource.addr);
    expect(forgotten.sort()).toEqual([`aws_appmesh_mesh.${mesh}`, `aws_appmesh_virtual_node.${node}`]);
    const summary = messages.find((m) => m.type === "change_summary")!.changes;
    expect(summary).toMatchObject({ remove: 0, change: 0 });
  });
});
