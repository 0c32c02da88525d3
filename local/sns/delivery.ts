import { appendFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A subscription the local cloud delivers to: HTTP(S) on loopback, or a file (a local-only protocol). */
export interface Subscription {
  arn: string;
  topicArn: string;
  protocol: "http" | "https" | "file";
  endpoint: string;
  owner: string;
  /** HTTP subscriptions wait for ConfirmSubscription with this token, as on AWS. */
  token?: string;
  confirmed: boolean;
  attributes: Record<string, string>;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Whether the local cloud may deliver to an endpoint: loopback HTTP(S), or an absolute `file://` path. */
export function deliverable(protocol: string, endpoint: string): boolean {
  try {
    const url = new URL(endpoint);
    if (protocol === "file") return url.protocol === "file:";
    return url.protocol === `${protocol}:` && LOOPBACK.has(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Sends one SNS message document (Notification or SubscriptionConfirmation) as SNS does over HTTP: a
 * POST of the JSON document with `x-amz-sns-message-type`, or appends it as a line to the file. A
 * failed HTTP delivery is dropped (AWS would retry per the delivery policy).
 */
export async function deliver(subscription: Subscription, document: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify(document);
  if (subscription.protocol === "file") {
    appendFileSync(fileURLToPath(subscription.endpoint), `${body}\n`, { mode: 0o600 });
    return;
  }
  try {
    await fetch(subscription.endpoint, {
      method: "POST",
      headers: {
        "content-type": "text/plain; charset=UTF-8",
        "x-amz-sns-message-type": String(document.Type),
        "x-amz-sns-message-id": String(document.MessageId),
        "x-amz-sns-topic-arn": subscription.topicArn,
        ...(subscription.confirmed ? { "x-amz-sns-subscription-arn": subscription.arn } : {}),
      },
      body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    // dropped, as documented above
  }
}
