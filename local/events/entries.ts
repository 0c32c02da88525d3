import { randomUUID } from "node:crypto";
import { LOCAL_ACCOUNT } from "../server/service.js";

/** An event as EventBridge delivers it to rules and targets. */
export interface EventBridgeEvent {
  version: string;
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  /** Epoch seconds on the AWS JSON wire. */
  Time?: number;
  EventBusName?: string;
}

export type EntryResult = { event: EventBridgeEvent } | { ErrorCode: string; ErrorMessage: string };

/** EventBridge writes times to the second: `2017-12-22T18:43:48Z`. */
export const eventTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

const invalid = (member: string, reason: string): EntryResult => ({
  ErrorCode: "InvalidArgument",
  ErrorMessage: `Parameter ${member} is not valid. Reason: ${reason}`,
});

/**
 * One PutEvents entry as EventBridge judges it: Source, DetailType and Detail are required and
 * Detail must be a JSON object; a refused entry is reported in its place, the others still go.
 */
export function eventFromEntry(entry: PutEventsEntry, region: string, now: number): EntryResult {
  if (!entry.Source) return invalid("Source", "Source is a required argument.");
  if (!entry.DetailType) return invalid("DetailType", "DetailType is a required argument.");
  if (!entry.Detail) return invalid("Detail", "Detail is a required argument.");
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
  }
  if (typeof detail !== "object" || detail === null || Array.isArray(detail)) {
    return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
  }
  return {
    event: {
      version: "0",
      id: randomUUID(),
      "detail-type": entry.DetailType,
      source: entry.Source,
      account: LOCAL_ACCOUNT,
      time: eventTime(entry.Time === undefined ? now : entry.Time * 1000),
      region,
      resources: entry.Resources ?? [],
      detail: detail as Record<string, unknown>,
    },
  };
}

/** The fields TestEventPattern requires of its event, as AWS lists them. */
export const REQUIRED_EVENT_FIELDS = [
  "id",
  "account",
  "source",
  "time",
  "region",
  "resources",
  "detail-type",
];
