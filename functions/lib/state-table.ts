/**
 * Keys of the state table (DynamoDB, partition key `pk`, sort key `sk`). One item per managed broker,
 * one per failed provisioning, so nothing that happened is without a record.
 */
export const brokerItemKey = (brokerId: string) => ({ pk: `BROKER#${brokerId}`, sk: "META" });
export const provisioningFailureKey = (clientToken: string) => ({
  pk: `PROVISIONING#${clientToken}`,
  sk: "FAILURE",
});

/** Tags mqops puts on what it creates, so a retry or a clean-up finds its own resources and only those. */
export const TAG_CLIENT_TOKEN = "mqops:client-token";
/** An idempotency key (Idempotency-Key header, clientToken): it becomes the tag's value and a table key. */
export const CLIENT_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
export const TAG_MANAGED = "mqops:managed";
/**
 * The tag an ECS service must carry (value `true`) for mqops to read and scale it on AWS: the
 * autoscaling functions' IAM allows ecs:DescribeServices and ecs:UpdateService only on services
 * tagged so, since which services get registered is known only at run time.
 */
export const TAG_AUTOSCALING = "mqops:autoscaling";
