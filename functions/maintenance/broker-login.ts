import type { DescribeBrokerResponse } from "@aws-sdk/client-mq";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { secrets } from "../lib/clients.js";
import { BrokerCredentialsUnavailableError } from "../lib/errors.js";
import { TAG_CLIENT_TOKEN } from "../lib/state-table.js";
import { usersSecretName, usersSecretSchema } from "../lib/users-secret.js";
import type { BrokerLogin } from "./stomp.js";

/**
 * A broker user's login, from the Secrets Manager secret its provisioning stored
 * (`mqops/brokers/<client token>`, the token being the broker's `mqops:client-token` tag). The first
 * user the broker has, without a pending change, whose password the secret holds. Never logged.
 */
export async function brokerLogin(broker: DescribeBrokerResponse): Promise<BrokerLogin> {
  const brokerId = broker.BrokerId ?? "?";
  const token = broker.Tags?.[TAG_CLIENT_TOKEN];
  if (token === undefined) {
    throw new BrokerCredentialsUnavailableError(brokerId, `the broker has no ${TAG_CLIENT_TOKEN} tag`);
  }
  let secretString: string | undefined;
  try {
    const secret = await callAws("GetSecretValue", () =>
      secrets.send(new GetSecretValueCommand({ SecretId: usersSecretName(token) })),
    );
    secretString = secret.SecretString;
  } catch (error) {
    if (awsErrorName(error) === "ResourceNotFoundException") {
      throw new BrokerCredentialsUnavailableError(brokerId, "its users secret does not exist", {
        cause: error,
      });
    }
    throw error;
  }
  const parsed = usersSecretSchema.safeParse(JSON.parse(secretString ?? "{}"));
  const passwords = parsed.success ? parsed.data.passwords : {};
  const user = (broker.Users ?? []).find(
    (candidate) =>
      candidate.PendingChange === undefined &&
      candidate.Username !== undefined &&
      passwords[candidate.Username] !== undefined,
  );
  const password = user?.Username === undefined ? undefined : passwords[user.Username];
  if (user?.Username === undefined || password === undefined) {
    throw new BrokerCredentialsUnavailableError(
      brokerId,
      "its users secret holds no password of a current user",
    );
  }
  return { username: user.Username, password };
}
