import { randomBytes, randomUUID } from "node:crypto";
import { AwsServiceError } from "../server/aws-error.js";
import { jsonService } from "../server/json-service.js";
import { LOCAL_ACCOUNT, type LocalService } from "../server/service.js";
import { JsonStore } from "../store/json-store.js";

interface StoredSecret {
  arn: string;
  name: string;
  description?: string;
  tags: { Key: string; Value: string }[];
  createdDate: number;
  lastChangedDate: number;
  /** Epoch seconds; set while the secret is scheduled for deletion. */
  deletedDate?: number;
  versions: { id: string; value: string; created: number; stages: string[] }[];
}

interface SecretsState {
  secrets: StoredSecret[];
}

const invalidParameter = (message: string) => new AwsServiceError("InvalidParameterException", message);
const invalidRequest = (message: string) => new AwsServiceError("InvalidRequestException", message);
const notFound = () =>
  new AwsServiceError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
const seconds = () => Date.now() / 1000;

function requireString(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== "string" || value === "") throw invalidParameter(`${member} is required.`);
  return value;
}

/**
 * Secrets Manager (AWS JSON 1.1) with what mqops uses: CreateSecret, GetSecretValue, PutSecretValue,
 * DescribeSecret, ListSecrets, DeleteSecret (recovery window or forced), RestoreSecret. Secrets are kept
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
  const addVersion = (secret: StoredSecret, value: string, token: unknown) => {
    const id = typeof token === "string" && token !== "" ? token : randomUUID();
    if (secret.versions.some((version) => version.id === id)) return id;
    for (const version of secret.versions) {
      version.stages = version.stages.includes("AWSCURRENT") ? ["AWSPREVIOUS"] : [];
    }
    secret.versions.push({ id, value, created: seconds(), stages: ["AWSCURRENT"] });
    secret.versions = secret.versions.filter((version) => version.stages.length > 0);
    secret.lastChangedDate = seconds();
    return id;
  };
  const secretString = (input: Record<string, unknown>) => {
    if (input.SecretBinary !== undefined) throw invalidParameter("The local cloud stores SecretString only.");
    return requireString(input, "SecretString");
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
    operations: {
      CreateSecret(input, request) {
        const name = requireString(input, "Name");
        if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) {
          throw invalidParameter(
            "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
          );
        }
        const value = secretString(input);
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
        const versionId = addVersion(secret, value, input.ClientRequestToken);
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
          VersionStages: version.stages,
          CreatedDate: version.created,
        };
      },
      PutSecretValue(input) {
        const secret = usable(input);
        const versionId = addVersion(secret, secretString(input), input.ClientRequestToken);
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
      RestoreSecret(input) {
        const secret = live(input);
        delete secret.deletedDate;
        save();
        return { ARN: secret.arn, Name: secret.name };
      },
    },
  });
}
