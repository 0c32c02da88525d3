import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, type Service } from "@aws-sdk/client-ecs";
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import {
  ALARM_KINDS,
  DECISION_PREFIX,
  registrationId,
  scalingStateKey,
} from "../autoscaling/registration.js";
import { getRegistration } from "../autoscaling/registration-store.js";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { cloudwatch, ecs } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { ddb } from "../lib/document-client.js";
import { RegistrationNotFoundError } from "../lib/errors.js";
import { json } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { registrationPath } from "./autoscaling-request.js";
import { autoscalingStatusView } from "./autoscaling-view.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");
const RECENT_DECISIONS = 20;

async function describeService(cluster: string, service: string): Promise<Service | undefined> {
  try {
    const described = await callAws("DescribeServices", () =>
      ecs.send(new DescribeServicesCommand({ cluster, services: [service] })),
    );
    return described.services?.[0];
  } catch (error) {
    if (awsErrorName(error) === "ClusterNotFoundException") return undefined;
    throw error;
  }
}

/**
 * GET /brokers/{id}/queues/{queue}/autoscaling: the registration, each alarm's state, the service's
 * desired and running counts, what decisions carry (service rate, last scale times) and the last 20
 * decisions with their reasons, newest first.
 */
export const handler = httpRoute(async (event) => {
  const { brokerId, queue } = registrationPath(event);
  const id = registrationId(brokerId, queue);
  const registration = await getRegistration(STATE_TABLE_NAME, id);
  if (registration === undefined) throw new RegistrationNotFoundError(`queue ${queue} on broker ${brokerId}`);
  const alarms = await callAws("DescribeAlarms", () =>
    cloudwatch.send(
      new DescribeAlarmsCommand({
        AlarmNames: ALARM_KINDS.map((kind) => registration.alarms[kind]),
        AlarmTypes: ["MetricAlarm"],
      }),
    ),
  );
  const service = await describeService(registration.ecs.cluster, registration.ecs.serviceArn);
  const state = await callAws("GetItem", () =>
    ddb.send(new GetCommand({ TableName: STATE_TABLE_NAME, Key: scalingStateKey(id) })),
  );
  const decisions = await callAws("Query", () =>
    ddb.send(
      new QueryCommand({
        TableName: STATE_TABLE_NAME,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :decision)",
        ExpressionAttributeValues: { ":pk": `AUTOSCALING#${id}`, ":decision": DECISION_PREFIX },
        ScanIndexForward: false,
        Limit: RECENT_DECISIONS,
      }),
    ),
  );
  return json(
    200,
    autoscalingStatusView(
      registration,
      alarms.MetricAlarms ?? [],
      service,
      state.Item,
      decisions.Items ?? [],
    ),
  );
});
