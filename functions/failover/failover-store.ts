import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { callAws } from "../lib/aws-errors.js";
import { conditionalPut } from "../lib/conditional-put.js";
import { requireEnv } from "../lib/config.js";
import { ddb } from "../lib/document-client.js";
import { FailoverStateConflictError } from "../lib/errors.js";
import type { FailoverEvent, FailoverState } from "./detector.js";
import { failoverHistoryKey, failoverStateKey } from "./keys.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

export interface RecordedState {
  state: FailoverState;
  /** Incremented by every write: a write succeeds only on the version it read. */
  version: number;
  /**
   * Events recorded but not yet both published and notified (an outbox): a later round carries them
   * forward and sends them again until MarkDelivered clears them, so a failed publish loses nothing.
   */
  undelivered: FailoverEvent[];
}

/** The broker's recorded failover state, or undefined before its first check. */
export async function readFailoverState(brokerId: string): Promise<RecordedState | undefined> {
  const result = await callAws("GetItem", () =>
    ddb.send(
      new GetCommand({ TableName: STATE_TABLE_NAME, Key: failoverStateKey(brokerId), ConsistentRead: true }),
    ),
  );
  const item = result.Item;
  if (item === undefined) return undefined;
  const {
    pk: _pk,
    sk: _sk,
    type: _type,
    brokerId: _id,
    brokerName: _name,
    version,
    updatedAt: _u,
    undeliveredEvents,
    ...state
  } = item;
  return {
    state: state as FailoverState,
    version: typeof version === "number" ? version : 0,
    undelivered: Array.isArray(undeliveredEvents) ? (undeliveredEvents as FailoverEvent[]) : [],
  };
}

/**
 * Writes the new state if nobody wrote since `version` was read (two runs may overlap: a slow
 * scheduled run and the next one, or an on-demand check); otherwise FailoverStateConflictError,
 * which the workflow retries (the retry reads the newer state and judges again).
 */
export async function writeFailoverState(
  brokerId: string,
  brokerName: string,
  state: FailoverState,
  readVersion: number | undefined,
  undelivered: readonly FailoverEvent[] = [],
): Promise<number> {
  const item = {
    ...failoverStateKey(brokerId),
    type: "failover-state",
    brokerId,
    brokerName,
    ...state,
    ...(undelivered.length === 0 ? {} : { undeliveredEvents: undelivered }),
    updatedAt: new Date().toISOString(),
  };
  return conditionalPut(
    STATE_TABLE_NAME,
    item,
    readVersion,
    (cause) => new FailoverStateConflictError(brokerId, { cause }),
  );
}

/** One history item per event; written again unchanged when a step is retried. */
export async function writeFailoverHistory(events: readonly FailoverEvent[]): Promise<void> {
  for (const { type, ...event } of events) {
    await callAws("PutItem", () =>
      ddb.send(
        new PutCommand({
          TableName: STATE_TABLE_NAME,
          Item: {
            ...failoverHistoryKey(event.brokerId, event.detectedAt, type),
            type: "failover-event",
            eventType: type,
            ...event,
          },
        }),
      ),
    );
  }
}
