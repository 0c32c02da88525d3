import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
} from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSnsService } from "../../../../local/sns/service.js";
import { startLocalEndpoint } from "../../../support/local-endpoint.js";

let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let sns: SNSClient;
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-sns-"));

beforeAll(async () => {
  endpoint = await startLocalEndpoint([createSnsService({ dataDir })]);
  sns = new SNSClient(endpoint.clientConfig);
});
afterAll(async () => {
  sns.destroy();
  await endpoint.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const topic = async (name: string) => (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn ?? "";

/** Resolves with the next `count` requests an HTTP endpoint on loopback receives. */
async function receiver() {
  const received: { headers: Record<string, string | string[] | undefined>; body: Record<string, string> }[] =
    [];
  const waiting: (() => void)[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => {
      received.push({ headers: request.headers, body: JSON.parse(body) as Record<string, string> });
      response.end();
      for (const wake of waiting.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sns`;
  const next = async (count: number) => {
    while (received.length < count) await new Promise<void>((resolve) => waiting.push(resolve));
    return received[count - 1];
  };
  return { url, next, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("topic attributes and tags", () => {
  it("gives the topic's attributes, and SetTopicAttributes changes one", async () => {
    const arn = await topic("attributes");

    await sns.send(
      new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: "DisplayName", AttributeValue: "Ops" }),
    );
    const { Attributes = {} } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));

    expect(Attributes).toMatchObject({
      TopicArn: arn,
      Owner: "000000000000",
      DisplayName: "Ops",
      SubscriptionsConfirmed: "0",
    });
    expect(JSON.parse(Attributes.Policy ?? "")).toMatchObject({ Version: "2008-10-17" });
  });

  it("refuses an unknown attribute name and an unknown topic with SNS's errors and messages", async () => {
    const arn = await topic("refusals");

    await expect(
      sns.send(
        new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: "Colour", AttributeValue: "x" }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid parameter: AttributeName",
    });
    await expect(sns.send(new GetTopicAttributesCommand({ TopicArn: `${arn}-gone` }))).rejects.toMatchObject({
      name: "NotFoundException",
      message: "Topic does not exist",
    });
  });

  it("tags a topic; a tag again replaces its value", async () => {
    const arn = await topic("tagged");

    await sns.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: "team", Value: "a" },
          { Key: "env", Value: "dev" },
        ],
      }),
    );
    await sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "team", Value: "b" }] }));
    const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }));

    expect(Tags).toEqual([
      { Key: "team", Value: "b" },
      { Key: "env", Value: "dev" },
    ]);
  });
});

describe("ListTopics", () => {
  it("pages by 100 with NextToken", async () => {
    for (let n = 0; n < 105; n++) await topic(`paged-${String(n).padStart(3, "0")}`);

    const first = await sns.send(new ListTopicsCommand({}));
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));

    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    expect(second.NextToken).toBeUndefined();
    const all = [...(first.Topics ?? []), ...(second.Topics ?? [])].map((entry) => entry.TopicArn);
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((arn) => arn?.includes(":paged-"))).toHaveLength(105);
  });
});

describe("Subscribe and delivery", () => {
  it("confirms an HTTP subscription on loopback as SNS does, then delivers notifications to it", async () => {
    const arn = await topic("http-delivery");
    const http = await receiver();
    try {
      const subscribed = await sns.send(
        new SubscribeCommand({ TopicArn: arn, Protocol: "http", Endpoint: http.url }),
      );
      const confirmation = await http.next(1);
      expect(subscribed.SubscriptionArn).toBe("pending confirmation");
      expect(confirmation?.headers["x-amz-sns-message-type"]).toBe("SubscriptionConfirmation");

      const confirmed = await sns.send(
        new ConfirmSubscriptionCommand({ TopicArn: arn, Token: confirmation?.body.Token ?? "" }),
      );
      await sns.send(new PublishCommand({ TopicArn: arn, Message: "hello", Subject: "greeting" }));
      const notification = await http.next(2);

      expect(confirmed.SubscriptionArn).toMatch(new RegExp(`^${arn}:`));
      expect(notification?.headers["x-amz-sns-message-type"]).toBe("Notification");
      expect(notification?.body).toMatchObject({
        Type: "Notification",
        TopicArn: arn,
        Message: "hello",
        Subject: "greeting",
      });
      const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
      expect(Subscriptions).toEqual([
        expect.objectContaining({
          Protocol: "http",
          Endpoint: http.url,
          SubscriptionArn: confirmed.SubscriptionArn,
        }),
      ]);
    } finally {
      await http.close();
    }
  });

  it("appends notifications to a file subscription (a local-only protocol)", async () => {
    const arn = await topic("file-delivery");
    const file = path.join(dataDir, "delivered.jsonl");

    await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: "file", Endpoint: pathToFileURL(file).href }),
    );
    await sns.send(new PublishCommand({ TopicArn: arn, Message: "to a file" }));

    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines).toEqual([
      expect.objectContaining({ Type: "Notification", Message: "to a file", TopicArn: arn }),
    ]);
  });

  it("refuses endpoints off loopback and protocols it cannot deliver", async () => {
    const arn = await topic("refused-endpoints");

    await expect(
      sns.send(
        new SubscribeCommand({ TopicArn: arn, Protocol: "http", Endpoint: "http://example.com/hook" }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(
      sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: "carrier-pigeon", Endpoint: "x" })),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
  });
});

describe("PublishBatch", () => {
  it("publishes each entry and answers Successful with the ids, Failed for an entry without a message", async () => {
    const arn = await topic("batch");

    const result = await sns.send(
      new PublishBatchCommand({
        TopicArn: arn,
        PublishBatchRequestEntries: [
          { Id: "a", Message: "one" },
          { Id: "b", Message: "two", Subject: "s" },
          { Id: "c", Message: "" },
        ],
      }),
    );

    expect(result.Successful?.map((entry) => entry.Id)).toEqual(["a", "b"]);
    expect(result.Successful?.every((entry) => typeof entry.MessageId === "string")).toBe(true);
    expect(result.Failed).toEqual([
      expect.objectContaining({ Id: "c", Code: "InvalidParameter", SenderFault: true }),
    ]);
    const published = readFileSync(path.join(dataDir, "sns-messages.jsonl"), "utf8");
    expect(published).toContain('"message":"two"');
  });

  it("refuses more than ten entries and repeated ids with SNS's errors", async () => {
    const arn = await topic("batch-refusals");
    const entries = Array.from({ length: 11 }, (_, n) => ({ Id: `e${n}`, Message: "m" }));

    await expect(
      sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: entries })),
    ).rejects.toMatchObject({
      name: "TooManyEntriesInBatchRequestException",
    });
    await expect(
      sns.send(
        new PublishBatchCommand({
          TopicArn: arn,
          PublishBatchRequestEntries: [
            { Id: "same", Message: "1" },
            { Id: "same", Message: "2" },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: "BatchEntryIdsNotDistinctException" });
  });
});
