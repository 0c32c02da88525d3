import { defineConfig } from "vitest/config";

/**
 * test/infra alone (`npm run test:infra`): evaluates sst.config.ts under Pulumi's mocks. Needs SST's
 * platform in .sst/platform (`npm run sst:install`); the harness loads @pulumi/* from there, the one
 * copy SST itself uses, so the mocks apply.
 */
export default defineConfig({
  test: {
    include: ["test/infra/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
