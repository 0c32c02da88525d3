import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { callAws } from "../lib/aws-errors.js";
import { conditionalUpdate } from "../lib/conditional-update.js";
import { requireEnv } from "../lib/config.js";
import { ddb } from "../lib/document-client.js";
import { FailoverStateConflictError } from "../lib/errors.js";
import type { FailoverEvent } from "./detector.js";
import { failoverHistoryKey, failoverStateKey } from "./keys.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

type EventRef = Pick<FailoverEvent, "brokerId" | "detectedAt"> & { type: string };

/** An event's identity: its history item's sort key (one event of a type per broker and instant). */
export const outboxId = (event: EventRef): string =>
  failoverHistoryKey(event.brokerId, event.detectedAt, event.type).sk;

/**
 * Removes the events a round published and notified from the broker's outbox, by identity, whatever
 * was written since, and bumps the state's version: a RecordCheck of an overlapping run that read the
 * outbox before this write fails its conditional write and reads again, so it does not send them a
 * second time. Resolves false when none of them is still there (a retry, or another run's delivery).
 * A write in between makes it throw FailoverStateConflictError, which the workflow retries.
 */
export async function markDelivered(brokerId: string, delivered: readonly EventRef[]): Promise<boolean> {
  const read = await callAws("GetItem", () =>
    ddb.send(
      new GetCommand({
        TableName: STATE_TABLE_NAME,
        Key: failoverStateKey(brokerId),
        ConsistentRead: true,
        ProjectionExpression: "version, undeliveredEvents",
      }),
    ),
  );
  const version = read.Item?.version;
  const outbox = Array.isArray(read.Item?.undeliveredEvents)
    ? (read.Item.undeliveredEvents as FailoverEvent[])
    : [];
  const ids = new Set(delivered.map(outboxId));
  const remaining = outbox.filter((event) => !ids.has(outboxId(event)));
  if (typeof version !== "number" || remaining.length === outbox.length) return false;
  await conditionalUpdate(
    {
      TableName: STATE_TABLE_NAME,
      Key: failoverStateKey(brokerId),
      UpdateExpression:
        remaining.length === 0
          ? "SET version = :next REMOVE undeliveredEvents"
          : "SET version = :next, undeliveredEvents = :remaining",
      ConditionExpression: "version = :read",
      ExpressionAttributeValues: {
        ":read": version,
        ":next": version + 1,
        ...(remaining.length === 0 ? {} : { ":remaining": remaining }),
      },
    },
    (cause) => {
      throw new FailoverStateConflictError(brokerId, { cause });
    },
  );
  return true;
}
