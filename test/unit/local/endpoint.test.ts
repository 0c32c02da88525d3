import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { CreateTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDynamoDbService } from "../../../local/dynamodb/service.js";
import { createSecretsService } from "../../../local/secrets/service.js";
import { createSnsService, type PublishedMessage } from "../../../local/sns/service.js";
import { startLocalEndpoint, TEST_CREDENTIALS } from "../../support/local-endpoint.js";

let dataDir: string;
let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let published: PublishedMessage[];

async function start() {
  published = [];
  endpoint = await startLocalEndpoint([
    createSecretsService({ dataDir }),
    createSnsService({ dataDir, onPublish: (message) => published.push(message) }),
    await createDynamoDbService({ dataDir }),
  ]);
}

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-endpoint-"));
  await start();
});

afterEach(async () => {
  await endpoint.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("signatures", () => {
  it("answers an unsigned request with 403 MissingAuthenticationTokenException", async () => {
    const response = await fetch(endpoint.url, { method: "POST", body: "{}" });
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
  });

  it("refuses a request signed with the wrong secret key", async () => {
    const client = new SecretsManagerClient({
      ...endpoint.clientConfig,
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: "not-the-local-secret" },
    });
    await expect(client.send(new GetSecretValueCommand({ SecretId: "x" }))).rejects.toMatchObject({
      name: "InvalidSignatureException",
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("refuses an access key it does not know", async () => {
    const client = new SNSClient({
      ...endpoint.clientConfig,
      credentials: { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: TEST_CREDENTIALS.secretAccessKey },
    });
    await expect(client.send(new CreateTopicCommand({ Name: "t" }))).rejects.toMatchObject({
      name: "UnrecognizedClientException",
      $metadata: { httpStatusCode: 403 },
    });
  });
});

describe("Secrets Manager", () => {
  it("stores, replaces and force-deletes a secret, with AWS's errors", async () => {
    const client = new SecretsManagerClient(endpoint.clientConfig);
    const created = await client.send(
      new CreateSecretCommand({ Name: "mqops/brokers/t1", SecretString: "v1" }),
    );
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:mqops\/brokers\/t1-.{6}$/,
    );
    await expect(
      client.send(new CreateSecretCommand({ Name: "mqops/brokers/t1", SecretString: "v2" })),
    ).rejects.toMatchObject({ name: "ResourceExistsException" });
    await client.send(new PutSecretValueCommand({ SecretId: "mqops/brokers/t1", SecretString: "v2" }));
    const value = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(value.SecretString).toBe("v2");
    await client.send(
      new DeleteSecretCommand({ SecretId: "mqops/brokers/t1", ForceDeleteWithoutRecovery: true }),
    );
    await expect(
      client.send(new GetSecretValueCommand({ SecretId: "mqops/brokers/t1" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("refuses reads of a secret scheduled for deletion and keeps secrets across a restart", async () => {
    const client = new SecretsManagerClient(endpoint.clientConfig);
    await client.send(new CreateSecretCommand({ Name: "kept", SecretString: "k" }));
    await client.send(new CreateSecretCommand({ Name: "doomed", SecretString: "d" }));
    await client.send(new DeleteSecretCommand({ SecretId: "doomed", RecoveryWindowInDays: 7 }));
    await endpoint.close();
    await start();
    const restarted = new SecretsManagerClient(endpoint.clientConfig);
    expect((await restarted.send(new GetSecretValueCommand({ SecretId: "kept" }))).SecretString).toBe("k");
    await expect(restarted.send(new GetSecretValueCommand({ SecretId: "doomed" }))).rejects.toMatchObject({
      name: "InvalidRequestException",
    });
  });
});

describe("SNS", () => {
  it("publishes to a topic it has and says NotFound for one it has not", async () => {
    const client = new SNSClient(endpoint.clientConfig);
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: "mqops-notifications" }));
    expect(TopicArn).toBe("arn:aws:sns:us-east-1:000000000000:mqops-notifications");
    const { MessageId } = await client.send(
      new PublishCommand({
        TopicArn,
        Message: '{"type":"BrokerProvisioned"}',
        MessageAttributes: { eventType: { DataType: "String", StringValue: "BrokerProvisioned" } },
      }),
    );
    expect(published).toEqual([
      expect.objectContaining({ messageId: MessageId, attributes: { eventType: "BrokerProvisioned" } }),
    ]);
    await expect(
      client.send(
        new PublishCommand({ TopicArn: "arn:aws:sns:us-east-1:000000000000:missing", Message: "m" }),
      ),
    ).rejects.toMatchObject({ name: "NotFoundException", $metadata: { httpStatusCode: 404 } });
  });
});

describe("DynamoDB", () => {
  it("keeps a table's items across a restart", async () => {
    const client = new DynamoDBClient(endpoint.clientConfig);
    await client.send(
      new CreateTableCommand({
        TableName: "state",
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await client.send(
      new PutItemCommand({ TableName: "state", Item: { pk: { S: "BROKER#1" }, v: { N: "7" } } }),
    );
    await endpoint.close();
    await start();
    const restarted = new DynamoDBClient(endpoint.clientConfig);
    const { Item } = await restarted.send(
      new GetItemCommand({ TableName: "state", Key: { pk: { S: "BROKER#1" } } }),
    );
    expect(Item?.v).toEqual({ N: "7" });
    await expect(
      restarted.send(new GetItemCommand({ TableName: "missing", Key: { pk: { S: "x" } } })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });
});
