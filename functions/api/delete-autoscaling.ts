import { DeleteAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import {
  ALARM_KINDS,
  registrationId,
  registrationKey,
  scalingStateKey,
  serviceClaimKey,
} from "../autoscaling/registration.js";
import { getRegistration } from "../autoscaling/registration-store.js";
import { callAws } from "../lib/aws-errors.js";
import { cloudwatch } from "../lib/clients.js";
import { conditionalWrite } from "../lib/conditional-write.js";
import { requireEnv } from "../lib/config.js";
import { ddb } from "../lib/document-client.js";
import { RegistrationNotFoundError } from "../lib/errors.js";
import { json } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { registrationPath } from "./autoscaling-request.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

const deleteItem = (key: Record<string, string>, condition?: { expression: string; id: string }) =>
  callAws("DeleteItem", () =>
    ddb.send(
      new DeleteCommand({
        TableName: STATE_TABLE_NAME,
        Key: key,
        ConditionExpression: condition?.expression,
        ExpressionAttributeValues: condition === undefined ? undefined : { ":id": condition.id },
      }),
    ),
  );

/**
 * DELETE /brokers/{id}/queues/{queue}/autoscaling: removes the registration first (a running decision
 * loop stops at its next round), then the alarms, the carried state and the claim on the service. The
 * service keeps its desired count; past decisions stay until they expire.
 */
export const handler = httpRoute(async (event) => {
  const { brokerId, queue } = registrationPath(event);
  const id = registrationId(brokerId, queue);
  const registration = await getRegistration(STATE_TABLE_NAME, id);
  if (registration === undefined) throw new RegistrationNotFoundError(`queue ${queue} on broker ${brokerId}`);
  await deleteItem(registrationKey(id));
  const alarmNames = ALARM_KINDS.map((kind) => registration.alarms[kind]);
  await callAws("DeleteAlarms", () => cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: alarmNames })));
  await deleteItem(scalingStateKey(id));
  await conditionalWrite(
    () =>
      deleteItem(serviceClaimKey(registration.ecs.serviceArn), { expression: "registrationId = :id", id }),
    () => undefined,
  );
  return json(200, {
    registrationId: id,
    brokerId,
    queue,
    deletedAlarms: alarmNames,
    ecs: { ...registration.ecs, left: "as it is" },
  });
});
