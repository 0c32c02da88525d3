import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CreateSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretsService } from "../../../../local/secrets/service.js";
import { AwsServiceError } from "../../../../local/server/aws-error.js";
import { errorResponse } from "../../../../local/server/error-response.js";
import { startLocalEndpoint } from "../../../support/local-endpoint.js";

let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let client: SecretsManagerClient;
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-secrets-"));

beforeAll(async () => {
  endpoint = await startLocalEndpoint([createSecretsService({ dataDir })]);
  client = new SecretsManagerClient(endpoint.clientConfig);
});
afterAll(async () => {
  client.destroy();
  await endpoint.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const stagesOf = async (secretId: string) => {
  const { Versions = [] } = await client.send(new ListSecretVersionIdsCommand({ SecretId: secretId }));
  return Object.fromEntries(Versions.map((version) => [version.VersionId, version.VersionStages]));
};

describe("UpdateSecret", () => {
  it("changes the description, and a new value becomes AWSCURRENT with the old one AWSPREVIOUS", async () => {
    const created = await client.send(new CreateSecretCommand({ Name: "update-me", SecretString: "one" }));

    const updated = await client.send(
      new UpdateSecretCommand({ SecretId: "update-me", Description: "rotated", SecretString: "two" }),
    );

    expect(updated.ARN).toBe(created.ARN);
    const current = await client.send(new GetSecretValueCommand({ SecretId: "update-me" }));
    expect(current.SecretString).toBe("two");
    expect(await stagesOf("update-me")).toEqual({
      [created.VersionId ?? ""]: ["AWSPREVIOUS"],
      [updated.VersionId ?? ""]: ["AWSCURRENT"],
    });
  });

  it("answers an unknown secret with ResourceNotFoundException and Secrets Manager's message", async () => {
    await expect(
      client.send(new UpdateSecretCommand({ SecretId: "nope", Description: "x" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret.",
    });
  });
});

describe("ListSecretVersionIds", () => {
  it("lists labelled versions, and deprecated ones with IncludeDeprecated", async () => {
    const first = await client.send(new CreateSecretCommand({ Name: "versions", SecretString: "1" }));
    await client.send(new PutSecretValueCommand({ SecretId: "versions", SecretString: "2" }));
    await client.send(new PutSecretValueCommand({ SecretId: "versions", SecretString: "3" }));

    const labelled = await client.send(new ListSecretVersionIdsCommand({ SecretId: "versions" }));
    const all = await client.send(
      new ListSecretVersionIdsCommand({ SecretId: "versions", IncludeDeprecated: true }),
    );

    expect(labelled.Versions?.map((version) => version.VersionStages)).toEqual([
      ["AWSPREVIOUS"],
      ["AWSCURRENT"],
    ]);
    expect(all.Versions?.[0]).toMatchObject({ VersionId: first.VersionId, VersionStages: [] });
    expect(all.Versions?.[0]?.CreatedDate).toBeInstanceOf(Date);
  });

  it("pages with MaxResults and NextToken", async () => {
    await client.send(new CreateSecretCommand({ Name: "paged", SecretString: "1" }));
    await client.send(new PutSecretValueCommand({ SecretId: "paged", SecretString: "2" }));

    const first = await client.send(new ListSecretVersionIdsCommand({ SecretId: "paged", MaxResults: 1 }));
    const second = await client.send(
      new ListSecretVersionIdsCommand({ SecretId: "paged", MaxResults: 1, NextToken: first.NextToken }),
    );

    expect(first.Versions).toHaveLength(1);
    expect(first.NextToken).toBeDefined();
    expect(second.Versions).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
  });
});

describe("UpdateSecretVersionStage", () => {
  it("moves AWSCURRENT back to an earlier version, which makes the other one AWSPREVIOUS", async () => {
    const v1 = await client.send(new CreateSecretCommand({ Name: "rollback", SecretString: "old" }));
    const v2 = await client.send(new PutSecretValueCommand({ SecretId: "rollback", SecretString: "new" }));

    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: "rollback",
        VersionStage: "AWSCURRENT",
        RemoveFromVersionId: v2.VersionId,
        MoveToVersionId: v1.VersionId,
      }),
    );

    expect((await client.send(new GetSecretValueCommand({ SecretId: "rollback" }))).SecretString).toBe("old");
    expect(await stagesOf("rollback")).toEqual({
      [v1.VersionId ?? ""]: ["AWSCURRENT"],
      [v2.VersionId ?? ""]: ["AWSPREVIOUS"],
    });
  });

  it("refuses to move a label without naming the version that holds it", async () => {
    const v1 = await client.send(new CreateSecretCommand({ Name: "held", SecretString: "a" }));
    await client.send(new PutSecretValueCommand({ SecretId: "held", SecretString: "b" }));

    await expect(
      client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: "held",
          VersionStage: "AWSCURRENT",
          MoveToVersionId: v1.VersionId,
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
  });

  it("adds and removes a custom label", async () => {
    const v1 = await client.send(new CreateSecretCommand({ Name: "custom", SecretString: "a" }));

    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: "custom",
        VersionStage: "BLUE",
        MoveToVersionId: v1.VersionId,
      }),
    );
    expect(await stagesOf("custom")).toEqual({ [v1.VersionId ?? ""]: ["AWSCURRENT", "BLUE"] });
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: "custom",
        VersionStage: "BLUE",
        RemoveFromVersionId: v1.VersionId,
      }),
    );
    expect(await stagesOf("custom")).toEqual({ [v1.VersionId ?? ""]: ["AWSCURRENT"] });
  });
});

describe("GetRandomPassword", () => {
  it("gives 32 characters with a letter of each case, a digit and punctuation by default", async () => {
    const { RandomPassword = "" } = await client.send(new GetRandomPasswordCommand({}));

    expect(RandomPassword).toHaveLength(32);
    expect(RandomPassword).toMatch(/[a-z]/);
    expect(RandomPassword).toMatch(/[A-Z]/);
    expect(RandomPassword).toMatch(/[0-9]/);
    expect(RandomPassword).toMatch(/[^a-zA-Z0-9]/);
  });

  it("leaves out what it is told to", async () => {
    const { RandomPassword = "" } = await client.send(
      new GetRandomPasswordCommand({
        PasswordLength: 64,
        ExcludePunctuation: true,
        ExcludeCharacters: "abc0",
      }),
    );

    expect(RandomPassword).toMatch(/^[d-zA-Z1-9]{64}$/);
  });

  it("refuses a length outside 1–4096 with InvalidParameterException", async () => {
    await expect(client.send(new GetRandomPasswordCommand({ PasswordLength: 5000 }))).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
  });
});

describe("SecretBinary", () => {
  it("stores binary secrets and returns the same bytes", async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await client.send(new CreateSecretCommand({ Name: "binary", SecretBinary: bytes }));

    const value = await client.send(new GetSecretValueCommand({ SecretId: "binary" }));

    expect(value.SecretString).toBeUndefined();
    expect([...(value.SecretBinary ?? [])]).toEqual([...bytes]);
  });

  it("refuses both a string and a binary value", async () => {
    await expect(
      client.send(
        new CreateSecretCommand({ Name: "both", SecretString: "x", SecretBinary: new Uint8Array([1]) }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
  });
});

describe("error bodies on the wire", () => {
  it("carry the message in Secrets Manager's own `Message` member, as AWS writes it", () => {
    const service = createSecretsService({ dataDir });
    const response = errorResponse(
      service.protocol,
      new AwsServiceError(
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.",
        400,
      ),
      "request-1",
      service.errorFormat,
    );
    expect(JSON.parse(String(response.body))).toEqual({
      __type: "ResourceNotFoundException",
      Message: "Secrets Manager can't find the specified secret.",
    });
  });
});
