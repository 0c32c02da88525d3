import { randomBytes, randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { AwsServiceError } from "../server/aws-error.js";
import { LOCAL_ACCOUNT, type LocalService } from "../server/service.js";
import { JsonStore } from "../store/json-store.js";
import { deliver, deliverable, type Subscription } from "./delivery.js";
import {
  element,
  entries,
  invalidParameter,
  memberObjects,
  members,
  messageAttributes,
  required,
  respond,
} from "./query.js";

export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  attributes: Record<string, string>;
  at: string;
}

interface SnsState {
  topics: string[];
  attributes?: Record<string, Record<string, string>>;
  tags?: Record<string, { Key: string; Value: string }[]>;
  subscriptions?: Subscription[];
}

/** Topic attributes SetTopicAttributes accepts (SNS's documented names). */
const SETTABLE = new Set([
  "DisplayName",
  "Policy",
  "DeliveryPolicy",
  "KmsMasterKeyId",
  "SignatureVersion",
  "TracingConfig",
  "ArchivePolicy",
  "ContentBasedDeduplication",
  "DataProtectionPolicy",
  "FifoThroughputScope",
  "HTTPSuccessFeedbackRoleArn",
  "HTTPSuccessFeedbackSampleRate",
  "HTTPFailureFeedbackRoleArn",
]);
const PAGE = 100;
const MAX_BATCH = 10;

const topicNotFound = () => new AwsServiceError("NotFound", "Topic does not exist", 404);

/**
 * SNS (AWS Query protocol): CreateTopic, ListTopics (100 a page), DeleteTopic, GetTopicAttributes,
 * SetTopicAttributes, TagResource, UntagResource, ListTagsForResource, Subscribe, ConfirmSubscription,
 * Unsubscribe, ListSubscriptionsByTopic, Publish, PublishBatch. Every published message is appended to
 * `sns-messages.jsonl` in the data directory and handed to `onPublish` (the launcher prints it); it is
 * delivered to the topic's subscriptions: HTTP(S) endpoints on loopback (confirmed as on AWS) and
 * `file://` paths (a local-only protocol, `file`).
 */
export function createSnsService(options: {
  dataDir: string;
  onPublish?: (message: PublishedMessage) => void;
}) {
  const store = new JsonStore<SnsState>(options.dataDir, "sns");
  const state = store.load(() => ({ topics: [] }));
  // A data directory from before these operations has topics only.
  state.attributes ??= {};
  state.tags ??= {};
  state.subscriptions ??= [];
  const { attributes, tags, subscriptions } = state;
  const save = () => store.save(state);
  const log = path.join(options.dataDir, "sns-messages.jsonl");

  const topic = (arn: string) => {
    if (!state.topics.includes(arn)) throw topicNotFound();
    return arn;
  };

  const notification = (published: PublishedMessage, subscription: Subscription) => ({
    Type: "Notification",
    MessageId: published.messageId,
    TopicArn: published.topicArn,
    ...(published.subject === undefined ? {} : { Subject: published.subject }),
    Message: published.message,
    Timestamp: published.at,
    SignatureVersion: attributes[published.topicArn]?.SignatureVersion ?? "1",
    Signature: "",
    SigningCertURL: "",
    UnsubscribeURL: `${subscription.endpoint}`,
    ...(Object.keys(published.attributes).length === 0
      ? {}
      : {
          MessageAttributes: Object.fromEntries(
            Object.entries(published.attributes).map(([name, value]) => [
              name,
              { Type: "String", Value: value },
            ]),
          ),
        }),
  });

  const publish = (
    topicArn: string,
    message: string,
    subject?: string,
    messageAttributesGiven: Record<string, string> = {},
  ): PublishedMessage => {
    topic(topicArn);
    const published: PublishedMessage = {
      messageId: randomUUID(),
      topicArn,
      subject,
      message,
      attributes: messageAttributesGiven,
      at: new Date().toISOString(),
    };
    appendFileSync(log, `${JSON.stringify(published)}\n`, { mode: 0o600 });
    options.onPublish?.(published);
    for (const subscription of subscriptions) {
      if (subscription.topicArn !== topicArn || !subscription.confirmed) continue;
      void deliver(subscription, notification(published, subscription));
    }
    return published;
  };

  const topicAttributes = (arn: string): Record<string, string> => {
    const owned = subscriptions.filter((subscription) => subscription.topicArn === arn);
    return {
      TopicArn: arn,
      Owner: LOCAL_ACCOUNT,
      DisplayName: "",
      Policy: JSON.stringify({
        Version: "2008-10-17",
        Id: "__default_policy_ID",
        Statement: [
          {
            Sid: "__default_statement_ID",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:Publish", "SNS:Subscribe"],
            Resource: arn,
            Condition: { StringEquals: { "AWS:SourceOwner": LOCAL_ACCOUNT } },
          },
        ],
      }),
      SubscriptionsConfirmed: String(owned.filter((subscription) => subscription.confirmed).length),
      SubscriptionsPending: String(owned.filter((subscription) => !subscription.confirmed).length),
      SubscriptionsDeleted: "0",
      EffectiveDeliveryPolicy: JSON.stringify({
        http: {
          defaultHealthyRetryPolicy: {
            minDelayTarget: 20,
            maxDelayTarget: 20,
            numRetries: 3,
            numMaxDelayRetries: 0,
            numNoDelayRetries: 0,
            numMinDelayRetries: 0,
            backoffFunction: "linear",
          },
          disableSubscriptionOverrides: false,
          defaultRequestPolicy: { headerContentType: "text/plain; charset=UTF-8" },
        },
      }),
      ...attributes[arn],
    };
  };

  const taggable = (arn: string) => {
    if (!state.topics.includes(arn))
      throw new AwsServiceError("ResourceNotFound", "Resource does not exist", 404);
    return arn;
  };

  const service: LocalService & {
    ensureTopic(arn: string): void;
    /** Publishes as the Publish action does, for the local cloud's own senders (CloudWatch alarm actions). */
    publish: typeof publish;
  } = {
    publish,
    signingName: "sns",
    protocol: "query",
    ensureTopic(arn) {
      if (!state.topics.includes(arn)) {
        state.topics.push(arn);
        save();
      }
    },
    async handle(request) {
      const params = new URLSearchParams(request.body.toString("utf8"));
      const action = params.get("Action") ?? "";
      switch (action) {
        case "CreateTopic": {
          const name = required(params, "Name");
          if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) throw invalidParameter("Topic Name");
          const arn = `arn:aws:sns:${request.region}:${LOCAL_ACCOUNT}:${name}`;
          service.ensureTopic(arn);
          const given = entries(params, "Attributes");
          if (Object.keys(given).length > 0) attributes[arn] = { ...attributes[arn], ...given };
          const newTags = memberObjects(params, "Tags").map((tag) => ({
            Key: tag.get("Key") ?? "",
            Value: tag.get("Value") ?? "",
          }));
          if (newTags.length > 0) tags[arn] = mergeTags(tags[arn] ?? [], newTags);
          save();
          return respond(action, request, element("TopicArn", arn));
        }
        case "ListTopics": {
          const offset = pageOffset(params.get("NextToken"));
          const page = state.topics.slice(offset, offset + PAGE);
          const next =
            offset + PAGE < state.topics.length ? element("NextToken", pageToken(offset + PAGE)) : "";
          return respond(
            action,
            request,
            `<Topics>${page.map((arn) => `<member>${element("TopicArn", arn)}</member>`).join("")}</Topics>${next}`,
          );
        }
        case "DeleteTopic": {
          const arn = params.get("TopicArn");
          state.topics = state.topics.filter((candidate) => candidate !== arn);
          if (arn !== null) {
            delete attributes[arn];
            delete tags[arn];
            const kept = subscriptions.filter((subscription) => subscription.topicArn !== arn);
            subscriptions.splice(0, subscriptions.length, ...kept);
          }
          save();
          return respond(action, request, "");
        }
        case "GetTopicAttributes": {
          const arn = topic(required(params, "TopicArn"));
          const body = Object.entries(topicAttributes(arn))
            .map(([key, value]) => `<entry>${element("key", key)}${element("value", value)}</entry>`)
            .join("");
          return respond(action, request, `<Attributes>${body}</Attributes>`);
        }
        case "SetTopicAttributes": {
          const arn = topic(required(params, "TopicArn"));
          const name = required(params, "AttributeName");
          if (!SETTABLE.has(name)) throw invalidParameter("AttributeName");
          attributes[arn] = { ...attributes[arn], [name]: params.get("AttributeValue") ?? "" };
          save();
          return respond(action, request, "");
        }
        case "TagResource": {
          const arn = taggable(required(params, "ResourceArn"));
          const given = memberObjects(params, "Tags").map((tag) => ({
            Key: tag.get("Key") ?? "",
            Value: tag.get("Value") ?? "",
          }));
          const merged = mergeTags(tags[arn] ?? [], given);
          if (merged.length > 50) {
            throw new AwsServiceError(
              "TagLimitExceeded",
              "Could not complete request: tag quota of per resource exceeded",
            );
          }
          tags[arn] = merged;
          save();
          return respond(action, request, "");
        }
        case "UntagResource": {
          const arn = taggable(required(params, "ResourceArn"));
          const keys = new Set(members(params, "TagKeys"));
          tags[arn] = (tags[arn] ?? []).filter((tag) => !keys.has(tag.Key));
          save();
          return respond(action, request, "");
        }
        case "ListTagsForResource": {
          const arn = taggable(required(params, "ResourceArn"));
          const body = (tags[arn] ?? [])
            .map((tag) => `<member>${element("Key", tag.Key)}${element("Value", tag.Value)}</member>`)
            .join("");
          return respond(action, request, `<Tags>${body}</Tags>`);
        }
        case "Subscribe": {
          const topicArn = topic(required(params, "TopicArn"));
          const protocol = required(params, "Protocol");
          if (protocol !== "http" && protocol !== "https" && protocol !== "file") {
            throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
          }
          const endpoint = required(params, "Endpoint");
          if (!deliverable(protocol, endpoint)) {
            throw invalidParameter(
              `Endpoint Reason: the local cloud delivers ${protocol} only to ${protocol === "file" ? "file:// paths" : "loopback addresses"}`,
            );
          }
          const existing = subscriptions.find(
            (subscription) =>
              subscription.topicArn === topicArn &&
              subscription.protocol === protocol &&
              subscription.endpoint === endpoint,
          );
          const subscription: Subscription = existing ?? {
            arn: `${topicArn}:${randomUUID()}`,
            topicArn,
            protocol,
            endpoint,
            owner: LOCAL_ACCOUNT,
            // A file needs no confirmation; an HTTP endpoint confirms by visiting SubscribeURL or ConfirmSubscription.
            confirmed: protocol === "file",
            token: protocol === "file" ? undefined : randomBytes(32).toString("hex"),
            attributes: entries(params, "Attributes"),
          };
          if (existing === undefined) {
            subscriptions.push(subscription);
            save();
            if (!subscription.confirmed) {
              void deliver(subscription, {
                Type: "SubscriptionConfirmation",
                MessageId: randomUUID(),
                Token: subscription.token,
                TopicArn: topicArn,
                Message: `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
                SubscribeURL: `http://${request.headers.host ?? "localhost"}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${subscription.token}`,
                Timestamp: new Date().toISOString(),
                SignatureVersion: "1",
                Signature: "",
                SigningCertURL: "",
              });
            }
          }
          const shown =
            subscription.confirmed || params.get("ReturnSubscriptionArn") === "true"
              ? subscription.arn
              : "pending confirmation";
          return respond(action, request, element("SubscriptionArn", shown));
        }
        case "ConfirmSubscription": {
          const topicArn = topic(required(params, "TopicArn"));
          const token = required(params, "Token");
          const subscription = subscriptions.find(
            (candidate) => candidate.topicArn === topicArn && candidate.token === token,
          );
          if (subscription === undefined) throw invalidParameter("Token");
          subscription.confirmed = true;
          save();
          return respond(action, request, element("SubscriptionArn", subscription.arn));
        }
        case "Unsubscribe": {
          const arn = required(params, "SubscriptionArn");
          const index = subscriptions.findIndex((subscription) => subscription.arn === arn);
          if (index < 0) throw new AwsServiceError("NotFound", "Subscription does not exist", 404);
          subscriptions.splice(index, 1);
          save();
          return respond(action, request, "");
        }
        case "ListSubscriptionsByTopic": {
          const topicArn = topic(required(params, "TopicArn"));
          const body = subscriptions
            .filter((subscription) => subscription.topicArn === topicArn)
            .map(
              (subscription) =>
                `<member>${element("TopicArn", topicArn)}${element("Protocol", subscription.protocol)}` +
                `${element("SubscriptionArn", subscription.confirmed ? subscription.arn : "PendingConfirmation")}` +
                `${element("Owner", subscription.owner)}${element("Endpoint", subscription.endpoint)}</member>`,
            )
            .join("");
          return respond(action, request, `<Subscriptions>${body}</Subscriptions>`);
        }
        case "Publish": {
          const published = publish(
            required(params, "TopicArn"),
            required(params, "Message"),
            params.get("Subject") ?? undefined,
            messageAttributes(params),
          );
          return respond(action, request, element("MessageId", published.messageId));
        }
        case "PublishBatch": {
          const topicArn = topic(required(params, "TopicArn"));
          const batch = memberObjects(params, "PublishBatchRequestEntries");
          if (batch.length === 0) {
            throw new AwsServiceError("EmptyBatchRequest", "The batch request doesn't contain any entries.");
          }
          if (batch.length > MAX_BATCH) {
            throw new AwsServiceError(
              "TooManyEntriesInBatchRequest",
              "The batch request contains more entries than permissible.",
            );
          }
          const ids = batch.map((entry) => entry.get("Id") ?? "");
          if (new Set(ids).size !== ids.length) {
            throw new AwsServiceError(
              "BatchEntryIdsNotDistinct",
              "Two or more batch entries in the request have the same Id.",
            );
          }
          const successful: string[] = [];
          const failed: string[] = [];
          for (const entry of batch) {
            const id = entry.get("Id") ?? "";
            const message = entry.get("Message");
            if (message === undefined || message === "") {
              failed.push(
                `<member>${element("Id", id)}${element("Code", "InvalidParameter")}${element("Message", "Invalid parameter: Message Reason: Message is required")}<SenderFault>true</SenderFault></member>`,
              );
              continue;
            }
            const published = publish(
              topicArn,
              message,
              entry.get("Subject"),
              messageAttributes(params, `${entry.prefix}.MessageAttributes`),
            );
            successful.push(
              `<member>${element("Id", id)}${element("MessageId", published.messageId)}</member>`,
            );
          }
          return respond(
            action,
            request,
            `<Successful>${successful.join("")}</Successful><Failed>${failed.join("")}</Failed>`,
          );
        }
        default:
          throw new AwsServiceError("InvalidAction", `The action ${action} is not valid for this endpoint.`);
      }
    },
  };
  return service;
}

/** New tags replace the values of the same keys. */
function mergeTags(current: { Key: string; Value: string }[], given: { Key: string; Value: string }[]) {
  const merged = new Map(current.map((tag) => [tag.Key, tag.Value]));
  for (const tag of given) merged.set(tag.Key, tag.Value);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

const pageToken = (offset: number) => Buffer.from(`topics:${offset}`, "utf8").toString("base64url");

function pageOffset(token: string | null): number {
  if (token === null || token === "") return 0;
  const [kind, offset] = Buffer.from(token, "base64url").toString("utf8").split(":");
  const value = Number(offset);
  if (kind !== "topics" || !Number.isInteger(value) || value < 0) throw invalidParameter("NextToken");
  return value;
}
