import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { callAws } from "../lib/aws-errors.js";
import { requireEnv } from "../lib/config.js";
import { ddb } from "../lib/document-client.js";
import { maintenanceBrokerKey, maintenanceRunKey } from "./keys.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

/** Sets the given fields (and `updatedAt`) on an item, creating it when absent. */
async function update(key: { pk: string; sk: string }, fields: Record<string, unknown>): Promise<void> {
  const entries = Object.entries({ ...fields, updatedAt: new Date().toISOString() }).filter(
    ([, value]) => value !== undefined,
  );
  await callAws("UpdateItem", () =>
    ddb.send(
      new UpdateCommand({
        TableName: STATE_TABLE_NAME,
        Key: key,
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(", ")}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
      }),
    ),
  );
}

/** Records where one broker's maintenance is (`step`) and what the step learned. */
export function recordBrokerProgress(
  runId: string,
  brokerId: string,
  step: string,
  fields: Record<string, unknown> = {},
): Promise<void> {
  return update(maintenanceBrokerKey(runId, brokerId), {
    type: "maintenance-broker",
    brokerId,
    step,
    ...fields,
  });
}

/** Records the run itself (request, selection, outcome). */
export function recordRun(runId: string, fields: Record<string, unknown>): Promise<void> {
  return update(maintenanceRunKey(runId), { type: "maintenance-run", runId, ...fields });
}
