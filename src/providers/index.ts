/**
 * The registry of mesh providers: the one module that imports the provider folders. Commands (synth,
 * validate, review, the local harness) take a provider from here and hand it to the layers below, which
 * never import it. Adding a provider: its folder, one line here, and its rows in capabilities.ts.
 */
import { appMesh } from "./appmesh";
import type { MeshProvider, ProviderId, ProviderLookup } from "./provider";
import { serviceConnect } from "./service-connect";
import { vpcLattice } from "./vpc-lattice";

export const PROVIDERS: Readonly<Record<ProviderId, MeshProvider>> = {
  "service-connect": serviceConnect,
  appmesh: appMesh,
  "vpc-lattice": vpcLattice,
};

export const providerOf: ProviderLookup = (id) => PROVIDERS[id];

/** Loads the construct half of every provider that `ids` name (synth does this before building stacks). */
export async function loadStacks(ids: Iterable<ProviderId>): Promise<void> {
  await Promise.all([...new Set(ids)].map((id) => PROVIDERS[id].stack.load()));
}
