import { USERS_SECRET_PREFIX } from "../functions/lib/users-secret.js";
import { accountId, partition, region } from "./aws-context.js";

/**
 * The secrets policy for broker passwords. The API stores them under `mqops/brokers/<client token>`;
 * every secretsmanager grant (CreateSecret/PutSecretValue/TagResource for the API's create-broker,
 * GetSecretValue for the CreateBroker step, DeleteSecret for compensation) is scoped to that prefix
 * alone. Secrets use the AWS managed key (aws/secretsmanager), so no KMS grant is needed.
 */
export const brokerSecretsArn = $interpolate`arn:${partition}:secretsmanager:${region}:${accountId}:secret:${USERS_SECRET_PREFIX}*`;
