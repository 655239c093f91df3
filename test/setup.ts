/** Before each test file: every provider's construct half is loaded, as synth loads it before building stacks. */
import { beforeAll } from "vitest";
import { loadStacks, PROVIDERS } from "../src/providers";
import type { ProviderId } from "../src/providers/provider";

beforeAll(() => loadStacks(Object.keys(PROVIDERS) as ProviderId[]));
