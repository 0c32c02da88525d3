import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // test/infra runs under its own config (Pulumi mocks, SST's platform): `npm run test:infra`.
    exclude: ["test/infra/**", "node_modules/**"],
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
  },
});
