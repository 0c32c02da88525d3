import { randomBytes, randomUUID } from "node:crypto";
import { AwsServiceError } from "../server/aws-error.js";
import { jsonService } from "../server/json-service.js";
import { LOCAL_ACCOUNT, type LocalService } from "../server/service.js";
import { JsonStore } from "../store/json-store.js";
import { randomPassword } from "./password.js";

/** How many versions a secret keeps: those without a staging label go first, oldest first. */
const MAX_VERSIONS = 100;

interface StoredSecret {
  arn: string;
  name: string;
  description?: string;
  tags: { Key: string; Value: string }[];
  createdDate: number;
  lastChangedDate: number;
  /** Epoch seconds; set while the secret is scheduled for deletion. */
  deletedDate?: number;
  /** A version holds a SecretString (`value`) or a SecretBinary (`binary`, base64). */
  versions: { id: string; value?: string; binary?: string; created: number; stages: string[] }[];
}

interface SecretsState {
  secrets: StoredSecret[];
}

const invalidParameter = (message: string) => new AwsServiceError("InvalidParameterException", message);
const invalidRequest = (message: string) => new AwsServiceError("InvalidRequestException", message);
const notFound = () =>
  new AwsServiceError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
const seconds = () => Date.now() / 1000;

type SecretValue = { value?: string; binary?: string };

/** `MaxResults` (1–100) and an opaque `NextToken` over a list. */
function pageOf<T>(items: T[], input: Record<string, unknown>) {
  const max = typeof input.MaxResults === "number" ? input.MaxResults : 100;
  if (!Number.isInteger(max) || max < 1 || max > 100) {
    throw invalidParameter("MaxResults must be between 1 and 100.");
  }
  let offset = 0;
  if (typeof input.NextToken === "string") {
    offset = Number.parseInt(Buffer.from(input.NextToken, "base64url").toString("utf8"), 10);
    if (!Number.isInteger(offset) || offset < 0) throw invalidParameter("Invalid NextToken.");
  }
  const next = offset + max;
  return {
    page: items.slice(offset, next),
    nextToken: next < items.length ? Buffer.from(String(next), "utf8").toString("base64url") : undefined,
  };
}

function requireString(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== "string" || value === "") throw invalidParameter(`${member} is required.`);
  return value;
}

/**
 * Secrets Manager (AWS JSON 1.1) with what mqops uses and operators reach for: CreateSecret,
 * GetSecretValue, PutSecretValue, UpdateSecret, DescribeSecret, ListSecrets, ListSecretVersionIds,
 * UpdateSecretVersionStage, GetRandomPassword, DeleteSecret (recovery window or forced), RestoreSecret;
 * SecretString or SecretBinary. Secrets are kept
 * in the data directory in a file only the owner can read; values never appear in errors.
 */
export function createSecretsService(options: { dataDir: string }): LocalService {
  const store = new JsonStore<SecretsState>(options.dataDir, "secretsmanager");
  const state = store.load(() => ({ secrets: [] }));
  const save = () => store.save(state);

  const find = (secretId: string) =>
    state.secrets.find((secret) => secret.name === secretId || secret.arn === secretId);
  const live = (input: Record<string, unknown>) => {
    const secret = find(requireString(input, "SecretId"));
    if (secret === undefined) throw notFound();
    return secret;
  };
  const usable = (input: Record<string, unknown>) => {
    const secret = live(input);
    if (secret.deletedDate !== undefined) {
      throw invalidRequest(
        "You can't perform this operation on the secret because it was marked for deletion.",
      );
    }
    return secret;
  };
  /**
   * A new version becomes AWSCURRENT; the version that was AWSCURRENT becomes AWSPREVIOUS and the one
   * that was AWSPREVIOUS keeps no label (it stays, deprecated, as on AWS, up to MAX_VERSIONS).
   */
  const addVersion = (secret: StoredSecret, value: SecretValue, token: unknown) => {
    const id = typeof token === "string" && token !== "" ? token : randomUUID();
    if (secret.versions.some((version) => version.id === id)) return id;
    for (const version of secret.versions) {
      const others = version.stages.filter((stage) => stage !== "AWSCURRENT" && stage !== "AWSPREVIOUS");
      version.stages = version.stages.includes("AWSCURRENT") ? ["AWSPREVIOUS", ...others] : others;
    }
    secret.versions.push({ id, ...value, created: seconds(), stages: ["AWSCURRENT"] });
    while (secret.versions.length > MAX_VERSIONS) {
      const oldest = secret.versions.findIndex((version) => version.stages.length === 0);
      if (oldest < 0) break;
      secret.versions.splice(oldest, 1);
    }
    secret.lastChangedDate = seconds();
    return id;
  };
  /** SecretString or SecretBinary (base64 on the wire), not both; undefined when neither is given. */
  const secretValue = (input: Record<string, unknown>, required: boolean): SecretValue | undefined => {
    const { SecretString: text, SecretBinary: binary } = input;
    if (text !== undefined && binary !== undefined) {
      throw invalidParameter(
        "You can't specify both a binary secret value and a string secret value in the same secret.",
      );
    }
    if (typeof text === "string") return { value: text };
    if (typeof binary === "string") {
      if (binary === "" || Buffer.from(binary, "base64").toString("base64") !== binary) {
        throw invalidParameter("Invalid SecretBinary: it must be base64-encoded binary data.");
      }
      return { binary };
    }
    if (required) throw invalidParameter("You must provide either SecretString or SecretBinary.");
    return undefined;
  };
  const describe = (secret: StoredSecret) => ({
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    Tags: secret.tags,
    CreatedDate: secret.createdDate,
    LastChangedDate: secret.lastChangedDate,
    DeletedDate: secret.deletedDate,
    VersionIdsToStages: Object.fromEntries(secret.versions.map((version) => [version.id, version.stages])),
  });

  return jsonService({
    signingName: "secretsmanager",
    targetPrefix: "secretsmanager",
    version: "1.1",
    // Secrets Manager's error shapes carry `Message`, and AWS writes it so.
    errorFormat: { messageMember: "Message" },
    operations: {
      CreateSecret(input, request) {
        const name = requireString(input, "Name");
        if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) {
          throw invalidParameter(
            "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
          );
        }
        const value = secretValue(input, false);
        const existing = find(name);
        if (existing !== undefined) {
          if (existing.deletedDate !== undefined) {
            throw invalidRequest(
              "You can't create this secret because a secret with this name is already scheduled for deletion.",
            );
          }
          throw new AwsServiceError(
            "ResourceExistsException",
            `The operation failed because the secret ${name} already exists.`,
          );
        }
        const suffix = randomBytes(4).toString("base64url").slice(0, 6);
        const secret: StoredSecret = {
          arn: `arn:aws:secretsmanager:${request.region}:${LOCAL_ACCOUNT}:secret:${name}-${suffix}`,
          name,
          description: typeof input.Description === "string" ? input.Description : undefined,
          tags: Array.isArray(input.Tags) ? (input.Tags as StoredSecret["tags"]) : [],
          createdDate: seconds(),
          lastChangedDate: seconds(),
          versions: [],
        };
        const versionId =
          value === undefined ? undefined : addVersion(secret, value, input.ClientRequestToken);
        state.secrets.push(secret);
        save();
        return { ARN: secret.arn, Name: name, VersionId: versionId };
      },
      GetSecretValue(input) {
        const secret = usable(input);
        const stage = typeof input.VersionStage === "string" ? input.VersionStage : "AWSCURRENT";
        const version =
          typeof input.VersionId === "string"
            ? secret.versions.find((v) => v.id === input.VersionId)
            : secret.versions.find((v) => v.stages.includes(stage));
        if (version === undefined) {
          throw new AwsServiceError(
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for the given version.",
          );
        }
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.id,
          SecretString: version.value,
          SecretBinary: version.binary,
          VersionStages: version.stages,
          CreatedDate: version.created,
        };
      },
      PutSecretValue(input) {
        const secret = usable(input);
        const versionId = addVersion(secret, secretValue(input, true) ?? {}, input.ClientRequestToken);
        save();
        return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: ["AWSCURRENT"] };
      },
      DescribeSecret(input) {
        return describe(live(input));
      },
      ListSecrets() {
        return {
          SecretList: state.secrets.filter((secret) => secret.deletedDate === undefined).map(describe),
        };
      },
      DeleteSecret(input) {
        const secret = live(input);
        const force = input.ForceDeleteWithoutRecovery === true;
        const window = input.RecoveryWindowInDays;
        if (force && window !== undefined) {
          throw invalidParameter(
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
          );
        }
        const days = typeof window === "number" ? window : 30;
        if (days < 7 || days > 30)
          throw invalidParameter("RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        if (force) {
          state.secrets = state.secrets.filter((s) => s !== secret);
          save();
          return { ARN: secret.arn, Name: secret.name, DeletionDate: seconds() };
        }
        secret.deletedDate ??= seconds();
        save();
        return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletedDate + days * 86_400 };
      },
      UpdateSecret(input) {
        const secret = usable(input);
        if (typeof input.Description === "string") secret.description = input.Description;
        const value = secretValue(input, false);
        const versionId =
          value === undefined ? undefined : addVersion(secret, value, input.ClientRequestToken);
        secret.lastChangedDate = seconds();
        save();
        return { ARN: secret.arn, Name: secret.name, VersionId: versionId };
      },
      ListSecretVersionIds(input) {
        const secret = live(input);
        const listed = secret.versions
          .filter((version) => input.IncludeDeprecated === true || version.stages.length > 0)
          .map((version) => ({
            VersionId: version.id,
            VersionStages: version.stages,
            CreatedDate: version.created,
          }));
        const { page, nextToken } = pageOf(listed, input);
        return { ARN: secret.arn, Name: secret.name, Versions: page, NextToken: nextToken };
      },
      UpdateSecretVersionStage(input) {
        const secret = usable(input);
        const stage = requireString(input, "VersionStage");
        const byId = (member: string) => {
          const id = input[member];
          if (id === undefined) return undefined;
          const version = secret.versions.find((candidate) => candidate.id === id);
          if (version === undefined) {
            throw new AwsServiceError(
              "ResourceNotFoundException",
              "Secrets Manager can't find the specified secret version.",
            );
          }
          return version;
        };
        const from = byId("RemoveFromVersionId");
        const to = byId("MoveToVersionId");
        const holder = secret.versions.find((version) => version.stages.includes(stage));
        if (to !== undefined && holder !== undefined && holder !== to && holder !== from) {
          throw invalidParameter(
            `The staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
          );
        }
        if (from !== undefined && !from.stages.includes(stage)) {
          throw invalidParameter(`The staging label ${stage} is not attached to version ${from.id}.`);
        }
        if (stage === "AWSCURRENT" && to === undefined) {
          throw invalidParameter(
            "You can only move the staging label AWSCURRENT to another version, not remove it.",
          );
        }
        if (from !== undefined) from.stages = from.stages.filter((label) => label !== stage);
        if (to !== undefined && !to.stages.includes(stage)) to.stages.push(stage);
        // Moving AWSCURRENT makes the version that had it AWSPREVIOUS, as Secrets Manager does.
        if (stage === "AWSCURRENT" && from !== undefined && to !== undefined && from !== to) {
          for (const version of secret.versions) {
            version.stages = version.stages.filter((label) => label !== "AWSPREVIOUS");
          }
          from.stages.push("AWSPREVIOUS");
        }
        secret.lastChangedDate = seconds();
        save();
        return { ARN: secret.arn, Name: secret.name };
      },
      GetRandomPassword(input) {
        return { RandomPassword: randomPassword(input) };
      },
      RestoreSecret(input) {
        const secret = live(input);
        delete secret.deletedDate;
        save();
        return { ARN: secret.arn, Name: secret.name };
      },
    },
  });
}
