import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    dir: "test",
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup.mts"],
    // One worker per core (vitest's default leaves one idle), and modules shared between the test files
    // of a worker: loading cdktf and the provider classes once per worker, not once per file, is most of
    // the saving. Tests clean up after themselves per test (onTestFinished), not through module-level hooks.
    maxWorkers: availableParallelism(),
    isolate: false,
    env: {
      // The AWS SDK warns, once per process, that its releases after January 2027 need Node 22: true, and
      // for the services' images to act on, not for every test run to print.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  },
});
