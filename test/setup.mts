/**
 * Before each test file: every provider's construct half is loaded, as synth loads it before building stacks
 * (at the top level, so that test files may build stacks while they load).
 */
import { loadStacks, PROVIDERS } from "../src/providers/index.js";
import type { ProviderId } from "../src/providers/provider.js";

await loadStacks(Object.keys(PROVIDERS) as ProviderId[]);
