/** The message mqops publishes to its notifications topic (SNS), one shape for every event type. */
export interface Notification {
  type:
    | "BrokerProvisioned"
    | "BrokerProvisioningFailed"
    | "QueueScaled"
    | "MaintenanceCompleted"
    | "MaintenanceSkipped"
    | "MaintenanceFailed"
    | "MaintenanceRolledBack"
    | "BrokerFailoverDetected"
    | "BrokerUnavailable"
    | "BrokerRecovered"
    | "BrokerFlapping"
    | "BrokerPromotionProposed"
    | "BrokerPromoted";
  brokerName: string;
  detail: Record<string, unknown>;
}

/** The SNS Publish parameters for a notification: a JSON body and an `eventType` attribute to filter on. */
export function publishInput(topicArn: string, notification: Notification) {
  return {
    TopicArn: topicArn,
    Subject: `mqops: ${notification.type} ${notification.brokerName}`.slice(0, 100),
    Message: JSON.stringify({ ...notification, at: new Date().toISOString() }),
    MessageAttributes: { eventType: { DataType: "String", StringValue: notification.type } },
  };
}
