import { CreateSecretCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { checkActiveMqXml } from "../lib/activemq-xml.js";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { secrets, sfn } from "../lib/clients.js";
import { provisioningEnv } from "../lib/env.js";
import { IdempotencyConflictError } from "../lib/errors.js";
import { executionArn, executionName } from "../lib/executions.js";
import { json } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { TAG_CLIENT_TOKEN } from "../lib/state-table.js";
import { usersSecretName } from "../lib/users-secret.js";
import { executionInput, parseProvisioningRequest, usersSecretValue } from "./provisioning-request.js";

// Checked once at load: a bad value fails the function's start, never a user's request.
const { stateMachineArn: STATE_MACHINE_ARN, settings: SETTINGS } = provisioningEnv();

async function describe(arn: string): Promise<DescribeExecutionOutput | undefined> {
  try {
    return await callAws("DescribeExecution", () =>
      sfn.send(new DescribeExecutionCommand({ executionArn: arn })),
    );
  } catch (error) {
    if (awsErrorName(error) === "ExecutionDoesNotExist") return undefined;
    throw error;
  }
}

/** POST /brokers: validates, stores the passwords in Secrets Manager, starts provisioning once per client token. */
export const handler = httpRoute(async (event) => {
  const parsed = parseProvisioningRequest(event);
  const name = executionName(parsed.clientToken);
  const arn = executionArn(STATE_MACHINE_ARN, name);
  const secretName = usersSecretName(parsed.clientToken);
  const input = executionInput(parsed, event.requestContext.requestId, secretName, SETTINGS);
  const reply = (execution: Pick<DescribeExecutionOutput, "status" | "startDate" | "input">) => {
    const first = JSON.parse(execution.input ?? "{}") as { requestFingerprint?: string };
    if (first.requestFingerprint !== input.requestFingerprint)
      throw new IdempotencyConflictError(parsed.clientToken);
    return json(202, {
      executionId: name,
      executionArn: arn,
      clientToken: parsed.clientToken,
      brokerName: parsed.request.brokerName,
      status: execution.status,
      startDate: execution.startDate?.toISOString(),
      warnings:
        parsed.request.activemqXml === undefined ? [] : checkActiveMqXml(parsed.request.activemqXml).warnings,
      links: { execution: `/executions/${name}` },
    });
  };
  const existing = await describe(arn);
  if (existing !== undefined) return reply(existing);
  const secretString = JSON.stringify(usersSecretValue(parsed.request));
  try {
    await callAws("CreateSecret", () =>
      secrets.send(
        new CreateSecretCommand({
          Name: secretName,
          SecretString: secretString,
          Description: `Broker user passwords for provisioning ${parsed.clientToken}`,
          Tags: [{ Key: TAG_CLIENT_TOKEN, Value: parsed.clientToken }],
        }),
      ),
    );
  } catch (error) {
    if (awsErrorName(error) !== "ResourceExistsException") throw error;
    // An earlier attempt stored the secret but never started the workflow: this request's passwords win.
    await callAws("PutSecretValue", () =>
      secrets.send(new PutSecretValueCommand({ SecretId: secretName, SecretString: secretString })),
    );
  }
  try {
    const started = await callAws("StartExecution", () =>
      sfn.send(
        new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name, input: JSON.stringify(input) }),
      ),
    );
    return reply({ status: "RUNNING", startDate: started.startDate, input: JSON.stringify(input) });
  } catch (error) {
    if (awsErrorName(error) !== "ExecutionAlreadyExists") throw error;
    const raced = await describe(arn);
    if (raced === undefined) throw error;
    return reply(raced);
  }
});
