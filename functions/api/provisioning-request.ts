import { createHash, randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { type CreateBrokerRequest, validateCreateBrokerRequest } from "../lib/broker-request.js";
import { RequestValidationError } from "../lib/errors.js";
import { jsonBody } from "../lib/http.js";
import { CLIENT_TOKEN } from "../lib/state-table.js";
import type { UsersSecret } from "../lib/users-secret.js";

export interface ProvisioningSettings {
  pollIntervalSeconds: number;
  deadlineSeconds: number;
}

export interface ProvisioningRequest {
  clientToken: string;
  request: CreateBrokerRequest;
}

/**
 * Parses and validates POST /brokers: the body against Amazon MQ's CreateBroker rules, and the client
 * token from the `Idempotency-Key` header or the `clientToken` field (one is generated when neither is given).
 */
export function parseProvisioningRequest(event: APIGatewayProxyEventV2): ProvisioningRequest {
  const body = jsonBody(event);
  const validation = validateCreateBrokerRequest(body);
  const header = event.headers?.["idempotency-key"];
  const issues = validation.ok ? [] : [...validation.issues];
  if (header !== undefined && !CLIENT_TOKEN.test(header)) {
    issues.push({ field: "Idempotency-Key", message: "must be 1-64 of letters, digits, - and _" });
  }
  if (!validation.ok || issues.length > 0) throw new RequestValidationError(issues);
  const field = validation.request.clientToken;
  if (header !== undefined && field !== undefined && header !== field) {
    throw new RequestValidationError([
      { field: "clientToken", message: "differs from the Idempotency-Key header" },
    ]);
  }
  return { clientToken: header ?? field ?? randomUUID(), request: validation.request };
}

/** The request as the workflow carries it: no passwords (they go to Secrets Manager). */
export function withoutPasswords(request: CreateBrokerRequest) {
  const { clientToken: _token, ldapServerMetadata, ...rest } = request;
  const users = request.users.map(({ password: _password, ...user }) => user);
  if (ldapServerMetadata === undefined) return { ...rest, users };
  const { serviceAccountPassword: _secret, ...metadata } = ldapServerMetadata;
  return { ...rest, users, ldapServerMetadata: metadata };
}

/** The users secret's value: passwords by username, and the LDAP service account's password. */
export function usersSecretValue(request: CreateBrokerRequest): UsersSecret {
  const passwords = Object.fromEntries(request.users.map((user) => [user.username, user.password]));
  const ldap = request.ldapServerMetadata?.serviceAccountPassword;
  return ldap === undefined ? { passwords } : { passwords, ldapServiceAccountPassword: ldap };
}

/**
 * A fingerprint of the request without its passwords: a retried token with the same fingerprint gets
 * the first result, a different one a 409.
 */
export function requestFingerprint(request: CreateBrokerRequest): string {
  return createHash("sha256")
    .update(JSON.stringify(withoutPasswords(request)))
    .digest("hex");
}

/** The execution input of the provisioning workflow. */
export function executionInput(
  { clientToken, request }: ProvisioningRequest,
  correlationId: string,
  usersSecretId: string,
  settings: ProvisioningSettings,
) {
  return {
    clientToken,
    correlationId,
    requestFingerprint: requestFingerprint(request),
    request: withoutPasswords(request),
    usersSecretId,
    settings,
  };
}
