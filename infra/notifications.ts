import { physicalName } from "./stage.js";

/** Where workflows announce outcomes (provisioned, failed, failover, scaling). Encrypted at rest. */
export const notificationsTopic = new aws.sns.Topic("Notifications", {
  name: physicalName("notifications"),
  kmsMasterKeyId: "alias/aws/sns",
});
