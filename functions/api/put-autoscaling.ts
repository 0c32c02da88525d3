import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { DescribeBrokerCommand } from "@aws-sdk/client-mq";
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ALARM_PERIOD_SECONDS, ALARM_PREFIX } from "../autoscaling/alarm-config.js";
import { alarmNames, MAX_INSTANCES } from "../autoscaling/alarm-specs.js";
import { putAlarms } from "../autoscaling/put-alarms.js";
import {
  type Registration,
  registrationId,
  registrationKey,
  serviceClaimKey,
} from "../autoscaling/registration.js";
import { getRegistration } from "../autoscaling/registration-store.js";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { ecs, mq } from "../lib/clients.js";
import { conditionalWrite } from "../lib/conditional-write.js";
import { requireEnv } from "../lib/config.js";
import { ddb } from "../lib/document-client.js";
import { RequestValidationError, ResourceConflictError } from "../lib/errors.js";
import { json } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { rethrowBrokerError } from "../lib/mq-errors.js";
import { TAG_AUTOSCALING } from "../lib/state-table.js";
import { parseRegistrationRequest } from "./autoscaling-request.js";
import { registrationView } from "./autoscaling-view.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

/** Broker states in which a queue cannot be registered: the broker is failing or going away. */
const UNUSABLE_STATES = new Set(["DELETION_IN_PROGRESS", "CREATION_FAILED"]);

/** The broker's name and its CloudWatch `Broker` dimension values (`<name>-1`, `<name>-2`). */
async function describeBroker(brokerId: string) {
  const broker = await callAws("DescribeBroker", () =>
    mq.send(new DescribeBrokerCommand({ BrokerId: brokerId })),
  ).catch((error: unknown) => rethrowBrokerError(brokerId, error));
  if (broker.EngineType !== undefined && broker.EngineType.toUpperCase() !== "ACTIVEMQ") {
    throw new RequestValidationError([{ field: "id", message: "must be an ActiveMQ broker" }]);
  }
  if (UNUSABLE_STATES.has(broker.BrokerState ?? "")) {
    throw new ResourceConflictError(`Broker ${brokerId} is ${broker.BrokerState}`);
  }
  const name = broker.BrokerName ?? brokerId;
  if ((broker.BrokerInstances?.length ?? 0) > MAX_INSTANCES) {
    throw new RequestValidationError([
      {
        field: "id",
        message: `must be a broker of at most ${MAX_INSTANCES} instances (an alarm sums at most that many)`,
      },
    ]);
  }
  const count =
    broker.DeploymentMode === "ACTIVE_STANDBY_MULTI_AZ"
      ? 2
      : Math.max(1, broker.BrokerInstances?.length ?? 1);
  return { name, instances: Array.from({ length: count }, (_, index) => `${name}-${index + 1}`) };
}

/** The service's ARN; a 400 naming the field when the cluster or service does not exist or is not active. */
async function describeService(cluster: string, service: string): Promise<string> {
  const described = await callAws("DescribeServices", () =>
    ecs.send(new DescribeServicesCommand({ cluster, services: [service] })),
  ).catch((error: unknown) => {
    const name = awsErrorName(error);
    if (name === "ClusterNotFoundException") {
      throw new RequestValidationError([{ field: "ecs.cluster", message: "does not exist" }]);
    }
    if (name === "AccessDeniedException") {
      throw new RequestValidationError([
        { field: "ecs.service", message: `is not one mqops may scale: tag it ${TAG_AUTOSCALING}=true` },
      ]);
    }
    throw error;
  });
  const found = described.services?.[0];
  if (found?.serviceArn === undefined || found.status !== "ACTIVE") {
    throw new RequestValidationError([
      { field: "ecs.service", message: `does not exist or is not ACTIVE in cluster ${cluster}` },
    ]);
  }
  return found.serviceArn;
}

/** At most one registered queue scales a service: claims it for this registration, or 409. */
async function claimService(serviceArn: string, id: string, queue: string) {
  await conditionalWrite(
    () =>
      callAws("PutItem", () =>
        ddb.send(
          new PutCommand({
            TableName: STATE_TABLE_NAME,
            Item: {
              ...serviceClaimKey(serviceArn),
              type: "autoscaling-service-claim",
              registrationId: id,
              queue,
            },
            ConditionExpression: "attribute_not_exists(pk) OR registrationId = :id",
            ExpressionAttributeValues: { ":id": id },
          }),
        ),
      ),
    (cause) => {
      throw new ResourceConflictError(`ECS service ${serviceArn} already scales another registered queue`, {
        cause,
      });
    },
  );
}

/**
 * PUT /brokers/{id}/queues/{queue}/autoscaling: registers (or re-registers) a queue for consumer
 * autoscaling. Checks the broker, queue name and ECS service, records the registration, then creates
 * the queue's alarms, so an alarm never fires for a registration that is not there yet.
 */
export const handler = httpRoute(async (event) => {
  const request = parseRegistrationRequest(event);
  const id = registrationId(request.brokerId, request.queue);
  const broker = await describeBroker(request.brokerId);
  const serviceArn = await describeService(request.ecs.cluster, request.ecs.service);
  const previous = await getRegistration(STATE_TABLE_NAME, id);
  await claimService(serviceArn, id, request.queue);
  const now = new Date().toISOString();
  const target = { prefix: ALARM_PREFIX, registrationId: id, brokerName: broker.name, queue: request.queue };
  const registration: Registration = {
    registrationId: id,
    brokerId: request.brokerId,
    brokerName: broker.name,
    instances: broker.instances,
    queue: request.queue,
    ecs: { ...request.ecs, serviceArn },
    settings: request.settings,
    periodSeconds: ALARM_PERIOD_SECONDS,
    alarms: alarmNames(target),
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
  await callAws("PutItem", () =>
    ddb.send(
      new PutCommand({
        TableName: STATE_TABLE_NAME,
        Item: { ...registrationKey(id), type: "autoscaling-registration", ...registration },
      }),
    ),
  );
  if (previous !== undefined && previous.ecs.serviceArn !== serviceArn) {
    await conditionalWrite(
      () =>
        callAws("DeleteItem", () =>
          ddb.send(
            new DeleteCommand({
              TableName: STATE_TABLE_NAME,
              Key: serviceClaimKey(previous.ecs.serviceArn),
              ConditionExpression: "registrationId = :id",
              ExpressionAttributeValues: { ":id": id },
            }),
          ),
        ),
      () => undefined,
    );
  }
  await putAlarms({
    ...target,
    instances: broker.instances,
    settings: request.settings,
    periodSeconds: ALARM_PERIOD_SECONDS,
  });
  return json(previous === undefined ? 201 : 200, registrationView(registration));
});
