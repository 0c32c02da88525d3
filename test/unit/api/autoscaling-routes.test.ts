import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
} from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { DescribeBrokerCommand, MqClient } from "@aws-sdk/client-mq";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { registrationId } from "../../../functions/autoscaling/registration.js";
import { scalingSettings } from "../../../functions/autoscaling/settings.js";
import { lambdaContext } from "../../../local/states/lambda-runtime.js";
import { httpEvent } from "./http-event.js";

vi.hoisted(() => {
  process.env.AUTOSCALING_ALARM_PREFIX = "mqops-test-autoscaling";
  process.env.AUTOSCALING_ALARM_PERIOD_SECONDS = "60";
});

const { handler: put } = await import("../../../functions/api/put-autoscaling.js");
const { handler: get } = await import("../../../functions/api/get-autoscaling.js");
const { handler: remove } = await import("../../../functions/api/delete-autoscaling.js");

const mq = mockClient(MqClient);
const ecs = mockClient(ECSClient);
const cloudwatch = mockClient(CloudWatchClient);
const ddb = mockClient(DynamoDBDocumentClient);

const BROKER_ID = "b-1234abcd";
const QUEUE = "orders";
const ID = registrationId(BROKER_ID, QUEUE);
const SERVICE_ARN = "arn:aws:ecs:us-east-1:123456789012:service/consumers/orders-consumer";
const ROUTE = "/brokers/{id}/queues/{queue}/autoscaling";
const body = { ecs: { cluster: "consumers", service: "orders-consumer" }, settings: { maxConsumers: 20 } };

function request(method: string, payload?: unknown, queue = QUEUE): APIGatewayProxyEventV2 {
  const event = httpEvent(`${method} ${ROUTE}`, { id: BROKER_ID, queue: encodeURIComponent(queue) });
  return payload === undefined ? event : { ...event, body: JSON.stringify(payload) };
}

type Route = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;
async function call(route: Route, event: APIGatewayProxyEventV2) {
  const response = (await route(event, lambdaContext("autoscaling") as Context)) as {
    statusCode: number;
    body: string;
  };
  return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
}

const named = (name: string) => Object.assign(new Error(name), { name });

const storedRegistration = () => {
  const prefix = `mqops-test-autoscaling-orders-broker-orders-${ID}`;
  return {
    pk: `AUTOSCALING#${ID}`,
    sk: "REGISTRATION",
    registrationId: ID,
    brokerId: BROKER_ID,
    brokerName: "orders-broker",
    instances: ["orders-broker-1", "orders-broker-2"],
    queue: QUEUE,
    ecs: { cluster: "consumers", service: "orders-consumer", serviceArn: SERVICE_ARN },
    settings: scalingSettings({ maxConsumers: 20 }),
    periodSeconds: 60,
    alarms: {
      "scale-out": `${prefix}-scale-out`,
      "scale-in": `${prefix}-scale-in`,
      "from-zero": `${prefix}-from-zero`,
    },
    createdAt: "2026-11-30T10:00:00.000Z",
    updatedAt: "2026-11-30T10:00:00.000Z",
  };
};

beforeEach(() => {
  for (const client of [mq, ecs, cloudwatch, ddb]) client.reset();
  mq.on(DescribeBrokerCommand).resolves({
    BrokerId: BROKER_ID,
    BrokerName: "orders-broker",
    BrokerState: "RUNNING",
    EngineType: "ACTIVEMQ",
    DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
  });
  ecs.on(DescribeServicesCommand).resolves({
    services: [
      { serviceArn: SERVICE_ARN, status: "ACTIVE", desiredCount: 3, runningCount: 2, pendingCount: 1 },
    ],
    failures: [],
  });
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  cloudwatch.on(PutMetricAlarmCommand).resolves({});
  cloudwatch.on(DeleteAlarmsCommand).resolves({});
  cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
});

describe("PUT /brokers/{id}/queues/{queue}/autoscaling", () => {
  it("records the registration, then creates the three alarms over both instances", async () => {
    const order: string[] = [];
    ddb.on(PutCommand).callsFake((input: { Item: { sk: string } }) => {
      order.push(input.Item.sk);
      return {};
    });
    cloudwatch.on(PutMetricAlarmCommand).callsFake(() => {
      order.push("alarm");
      return {};
    });

    const { status, body: reply } = await call(put, request("PUT", body));

    expect(status).toBe(201);
    expect(reply).toMatchObject({
      registrationId: ID,
      brokerName: "orders-broker",
      instances: ["orders-broker-1", "orders-broker-2"],
      ecs: { cluster: "consumers", service: "orders-consumer", serviceArn: SERVICE_ARN },
      settings: { maxConsumers: 20, minConsumers: 1 },
      periodSeconds: 60,
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: `AUTOSCALING-SERVICE#${SERVICE_ARN}`, registrationId: ID }),
      ConditionExpression: "attribute_not_exists(pk) OR registrationId = :id",
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: `AUTOSCALING#${ID}`, sk: "REGISTRATION", queue: QUEUE }),
    });
    const alarms = cloudwatch.commandCalls(PutMetricAlarmCommand).map((c) => c.args[0].input.AlarmName);
    expect(alarms).toEqual([
      `mqops-test-autoscaling-orders-broker-orders-${ID}-scale-out`,
      `mqops-test-autoscaling-orders-broker-orders-${ID}-scale-in`,
      `mqops-test-autoscaling-orders-broker-orders-${ID}-from-zero`,
    ]);
    expect(order).toEqual(["CLAIM", "REGISTRATION", "alarm", "alarm", "alarm"]);
  });

  it("answers 200 and keeps createdAt when the queue was registered already", async () => {
    ddb
      .on(GetCommand, { Key: { pk: `AUTOSCALING#${ID}`, sk: "REGISTRATION" } })
      .resolves({ Item: storedRegistration() });

    const { status, body: reply } = await call(put, request("PUT", body));

    expect(status).toBe(200);
    expect(reply.createdAt).toBe("2026-11-30T10:00:00.000Z");
  });

  it("answers 400 naming each bad field, and calls nothing", async () => {
    const { status, body: reply } = await call(
      put,
      request("PUT", { ecs: { cluster: "consumers" }, settings: { maxConsumers: 0, bogus: 1 } }, "orders.*"),
    );

    expect(status).toBe(400);
    const fields = (reply.issues as { field: string }[]).map((issue) => issue.field);
    expect(fields).toEqual(
      expect.arrayContaining(["queue", "ecs.service", "settings.maxConsumers", "settings.bogus"]),
    );
    expect(mq).not.toHaveReceivedCommand(DescribeBrokerCommand);
    expect(cloudwatch).not.toHaveReceivedCommand(PutMetricAlarmCommand);
  });

  it("answers 404 for a broker that does not exist", async () => {
    mq.on(DescribeBrokerCommand).rejects(named("NotFoundException"));
    const { status, body: reply } = await call(put, request("PUT", body));
    expect(status).toBe(404);
    expect(reply.error).toBe("BrokerNotFound");
  });

  it("answers 409 for a broker being deleted", async () => {
    mq.on(DescribeBrokerCommand).resolves({
      BrokerName: "x",
      BrokerState: "DELETION_IN_PROGRESS",
      EngineType: "ACTIVEMQ",
    });
    expect((await call(put, request("PUT", body))).status).toBe(409);
  });

  it("answers 400 on ecs.service when the service is missing or inactive, and on ecs.cluster when the cluster is", async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [], failures: [{ arn: SERVICE_ARN, reason: "MISSING" }] });
    const missing = await call(put, request("PUT", body));
    expect(missing.status).toBe(400);
    expect(missing.body.issues).toEqual([
      { field: "ecs.service", message: "does not exist or is not ACTIVE in cluster consumers" },
    ]);
    ecs.on(DescribeServicesCommand).rejects(named("ClusterNotFoundException"));
    const noCluster = await call(put, request("PUT", body));
    expect(noCluster.body.issues).toEqual([{ field: "ecs.cluster", message: "does not exist" }]);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it("answers 409 when the service already scales another queue", async () => {
    ddb.on(PutCommand).rejects(named("ConditionalCheckFailedException"));
    const { status, body: reply } = await call(put, request("PUT", body));
    expect(status).toBe(409);
    expect(reply.message).toContain("already scales another registered queue");
    expect(cloudwatch).not.toHaveReceivedCommand(PutMetricAlarmCommand);
  });

  it("answers 400 on id for a broker of more instances than an alarm can sum", async () => {
    mq.on(DescribeBrokerCommand).resolves({
      BrokerName: "mesh",
      BrokerState: "RUNNING",
      EngineType: "ACTIVEMQ",
      DeploymentMode: "CLUSTER_MULTI_AZ",
      BrokerInstances: [{}, {}, {}],
    });
    const { status, body: reply } = await call(put, request("PUT", body));
    expect(status).toBe(400);
    expect((reply.issues as { field: string }[]).map((issue) => issue.field)).toEqual(["id"]);
  });

  it("uses one Broker dimension for a single-instance broker", async () => {
    mq.on(DescribeBrokerCommand).resolves({
      BrokerName: "solo",
      BrokerState: "RUNNING",
      EngineType: "ACTIVEMQ",
      DeploymentMode: "SINGLE_INSTANCE",
      BrokerInstances: [{}],
    });
    const { body: reply } = await call(put, request("PUT", body));
    expect(reply.instances).toEqual(["solo-1"]);
  });
});

describe("GET /brokers/{id}/queues/{queue}/autoscaling", () => {
  it("shows the registration, each alarm's state, the fleet and the last decisions", async () => {
    const registration = storedRegistration();
    ddb
      .on(GetCommand, { Key: { pk: `AUTOSCALING#${ID}`, sk: "REGISTRATION" } })
      .resolves({ Item: registration });
    ddb.on(GetCommand, { Key: { pk: `AUTOSCALING#${ID}`, sk: "STATE" } }).resolves({
      Item: { serviceRateHint: 31.5, lastScaleOutAt: 1_700_000_000, leaseOwner: "exec-gone", leaseUntil: 1 },
    });
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        { AlarmName: registration.alarms["scale-out"], StateValue: "ALARM", StateReason: "breaching" },
        { AlarmName: registration.alarms["scale-in"], StateValue: "OK" },
      ],
    });
    ddb.on(QueryCommand).resolves({
      Items: [{ pk: "x", sk: "DECISION#2", action: "scale-out", reason: "scale out 2 → 5: …", expiresAt: 1 }],
    });

    const { status, body: reply } = await call(get, request("GET"));

    expect(status).toBe(200);
    expect(reply.alarms).toEqual([
      {
        kind: "scale-out",
        alarmName: registration.alarms["scale-out"],
        state: "ALARM",
        stateReason: "breaching",
      },
      { kind: "scale-in", alarmName: registration.alarms["scale-in"], state: "OK" },
      { kind: "from-zero", alarmName: registration.alarms["from-zero"], state: "MISSING" },
    ]);
    expect(reply.fleet).toEqual({ status: "ACTIVE", desired: 3, running: 2, pending: 1 });
    expect(reply.state).toMatchObject({ serviceRateHint: 31.5, lastScaleOutAt: "2023-11-14T22:13:20.000Z" });
    // An expired lease is no execution deciding now.
    expect((reply.state as Record<string, unknown>).decidingExecution).toBeUndefined();
    expect(reply.decisions).toEqual([{ action: "scale-out", reason: "scale out 2 → 5: …" }]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ScanIndexForward: false, Limit: 20 });
  });

  it("answers 404 for a queue that is not registered", async () => {
    const { status, body: reply } = await call(get, request("GET"));
    expect(status).toBe(404);
    expect(reply.error).toBe("RegistrationNotFound");
  });
});

describe("DELETE /brokers/{id}/queues/{queue}/autoscaling", () => {
  it("removes the registration and the alarms, and leaves the service alone", async () => {
    const registration = storedRegistration();
    ddb.on(GetCommand).resolves({ Item: registration });

    const { status, body: reply } = await call(remove, request("DELETE"));

    expect(status).toBe(200);
    expect(reply.deletedAlarms).toEqual(Object.values(registration.alarms));
    expect(cloudwatch).toHaveReceivedCommandWith(DeleteAlarmsCommand, {
      AlarmNames: Object.values(registration.alarms),
    });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, {
      Key: { pk: `AUTOSCALING#${ID}`, sk: "REGISTRATION" },
    });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: `AUTOSCALING#${ID}`, sk: "STATE" } });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, {
      Key: { pk: `AUTOSCALING-SERVICE#${SERVICE_ARN}`, sk: "CLAIM" },
      ConditionExpression: "registrationId = :id",
    });
    expect(ecs).not.toHaveReceivedAnyCommand();
  });

  it("answers 404 for a queue that is not registered", async () => {
    expect((await call(remove, request("DELETE"))).status).toBe(404);
    expect(cloudwatch).not.toHaveReceivedCommand(DeleteAlarmsCommand);
  });
});
