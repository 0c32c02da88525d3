import { physicalName, retainData } from "./stage.js";

/**
 * The state table (functions/lib/state-table.ts): single-table design on `pk`/`sk`, on-demand,
 * point-in-time recovery, encrypted with the AWS managed KMS key.
 */
export const stateTable = new aws.dynamodb.Table("StateTable", {
  name: physicalName("state"),
  billingMode: "PAY_PER_REQUEST",
  hashKey: "pk",
  rangeKey: "sk",
  attributes: [
    { name: "pk", type: "S" },
    { name: "sk", type: "S" },
  ],
  // Autoscaling decision records carry `expiresAt` (epoch seconds) and go after 30 days.
  ttl: { attributeName: "expiresAt", enabled: true },
  pointInTimeRecovery: { enabled: true },
  serverSideEncryption: { enabled: true },
  deletionProtectionEnabled: retainData,
});
