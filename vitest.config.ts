import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 120_000,
    env: {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      POWERTOOLS_DEV: "false",
      POWERTOOLS_LOG_LEVEL: "SILENT",
      POWERTOOLS_METRICS_DISABLED: "true",
      POWERTOOLS_TRACE_ENABLED: "false",
      STATE_TABLE_NAME: "mqops-test-state",
      NOTIFICATIONS_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:mqops-test-notifications",
      PROVISIONING_STATE_MACHINE_ARN:
        "arn:aws:states:us-east-1:123456789012:stateMachine:mqops-test-provisioning",
    },
    // test/infra runs under its own config (Pulumi mocks, SST's platform): `npm run test:infra`.
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts", "test/workflows/**/*.test.ts"] },
      },
      {
        extends: true,
        // Real ActiveMQ JVMs: one file at a time, so two cores are not shared by a dozen brokers.
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          fileParallelism: false,
          globalSetup: ["test/integration/support/no-leftover-brokers.ts"],
        },
      },
    ],
  },
});
