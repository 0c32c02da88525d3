import * as z from "./zod.js";

/**
 * The Secrets Manager secret the API writes for one provisioning request: the users' passwords,
 * by username, and an LDAP broker's service account password. Only the secret's name travels through the workflow.
 */
export const usersSecretSchema = z.object({
  passwords: z.record(z.string(), z.string()),
  /** LDAP brokers: the password of `ldapServerMetadata.serviceAccountUsername`. */
  ldapServiceAccountPassword: z.optional(z.string()),
});
export type UsersSecret = z.infer<typeof usersSecretSchema>;

/** Secrets mqops writes live under this prefix; the IAM policies grant access to it alone. */
export const USERS_SECRET_PREFIX = "mqops/brokers/";

export const usersSecretName = (clientToken: string) => `${USERS_SECRET_PREFIX}${clientToken}`;
