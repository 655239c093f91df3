/**
 * An environment that moved from one mesh provider to another (`mesh.movedFrom`): what only the old provider made
 * and AWS no longer serves (App Mesh's resources, after its end of life) is forgotten, not deleted, with Terraform
 * `removed` blocks (Terraform >= 1.7: "`lifecycle { destroy = false }`" removes an object from state without
 * calling the provider: internal/terraform/node_resource_forget.go forgets the state entry, no
 * ApplyResourceChange). Everything else the old stack held and the new one does not is destroyed as usual. The
 * old stack's addresses are read from that stack itself, built in memory from the same environment.
 */
import { tmpdir } from "node:os";
import { App, type TerraformStack } from "cdktf";
import type { ResolvedEnvironment } from "../src/config/model";
import type { MeshProvider } from "../src/providers/provider";

/** `removed` blocks for the old provider's resources that Terraform must forget, as Terraform's JSON syntax has them. */
export function forgetBlocks(
  env: ResolvedEnvironment,
  previous: MeshProvider,
  build: (scope: App, env: ResolvedEnvironment) => TerraformStack,
) {
  if (!env.mesh.movedFrom || previous.forgetOnLeaving.length === 0) return [];
  // An App of its own, never synthesized: nothing is written (its outdir must exist, and the temp dir does).
  const old = build(new App({ outdir: tmpdir(), skipValidation: true }), {
    ...env,
    mesh: { provider: env.mesh.movedFrom.provider, options: env.mesh.movedFrom.options },
  });
  const resources = (old.toTerraform().resource ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(resources)
    .filter(([type]) => previous.forgetOnLeaving.some((prefix) => type.startsWith(prefix)))
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => ({ from: `${type}.${name}`, lifecycle: { destroy: false } })));
}
