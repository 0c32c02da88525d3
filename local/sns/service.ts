import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { AwsServiceError } from "../server/aws-error.js";
import { type AwsRequest, LOCAL_ACCOUNT, type LocalService } from "../server/service.js";
import { xmlEscape } from "../server/xml-escape.js";
import { JsonStore } from "../store/json-store.js";

const NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  attributes: Record<string, string>;
  at: string;
}

function respond(action: string, request: AwsRequest, result: string) {
  return {
    status: 200,
    headers: { "content-type": "text/xml" },
    body:
      `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${request.requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/** `MessageAttributes.entry.N.Name` / `.Value.StringValue` pairs, as the Query protocol flattens a map. */
function messageAttributes(params: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let n = 1; params.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const name = params.get(`MessageAttributes.entry.${n}.Name`) ?? "";
    attributes[name] = params.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? "";
  }
  return attributes;
}

/**
 * SNS (AWS Query protocol) with what mqops uses: CreateTopic, ListTopics, DeleteTopic, Publish.
 * Nothing subscribes locally: every published message is appended to `sns-messages.jsonl` in the
 * data directory and handed to `onPublish` (the launcher prints it).
 */
export function createSnsService(options: {
  dataDir: string;
  onPublish?: (message: PublishedMessage) => void;
}) {
  const store = new JsonStore<{ topics: string[] }>(options.dataDir, "sns");
  const state = store.load(() => ({ topics: [] }));
  const log = path.join(options.dataDir, "sns-messages.jsonl");

  const required = (params: URLSearchParams, name: string) => {
    const value = params.get(name);
    if (value === null || value === "") {
      throw new AwsServiceError("InvalidParameter", `Invalid parameter: ${name} Reason: ${name} is required`);
    }
    return value;
  };

  const publish = (
    topicArn: string,
    message: string,
    subject?: string,
    attributes: Record<string, string> = {},
  ): PublishedMessage => {
    if (!state.topics.includes(topicArn)) {
      throw new AwsServiceError("NotFound", "Topic does not exist", 404);
    }
    const published: PublishedMessage = {
      messageId: randomUUID(),
      topicArn,
      subject,
      message,
      attributes,
      at: new Date().toISOString(),
    };
    appendFileSync(log, `${JSON.stringify(published)}\n`, { mode: 0o600 });
    options.onPublish?.(published);
    return published;
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
        store.save(state);
      }
    },
    async handle(request) {
      const params = new URLSearchParams(request.body.toString("utf8"));
      const action = params.get("Action") ?? "";
      switch (action) {
        case "CreateTopic": {
          const name = required(params, "Name");
          if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) {
            throw new AwsServiceError("InvalidParameter", "Invalid parameter: Topic Name");
          }
          const arn = `arn:aws:sns:${request.region}:${LOCAL_ACCOUNT}:${name}`;
          service.ensureTopic(arn);
          return respond(action, request, `<TopicArn>${xmlEscape(arn)}</TopicArn>`);
        }
        case "ListTopics":
          return respond(
            action,
            request,
            `<Topics>${state.topics.map((arn) => `<member><TopicArn>${xmlEscape(arn)}</TopicArn></member>`).join("")}</Topics>`,
          );
        case "DeleteTopic":
          state.topics = state.topics.filter((arn) => arn !== params.get("TopicArn"));
          store.save(state);
          return respond(action, request, "");
        case "Publish": {
          const published = publish(
            required(params, "TopicArn"),
            required(params, "Message"),
            params.get("Subject") ?? undefined,
            messageAttributes(params),
          );
          return respond(action, request, `<MessageId>${published.messageId}</MessageId>`);
        }
        default:
          throw new AwsServiceError("InvalidAction", `The action ${action} is not valid for this endpoint.`);
      }
    },
  };
  return service;
}
