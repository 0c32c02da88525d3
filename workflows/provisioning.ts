import { ERRORS } from "../functions/lib/errors.js";
import { fail, LAMBDA_TRANSIENT_ERRORS, lambdaTask } from "./asl.js";
import type { WorkflowSpec } from "./types.js";

const FUNCTIONS = {
  ValidateRequest: "functions/provisioning/validate-request.handler",
  CreateConfiguration: "functions/provisioning/create-configuration.handler",
  CreateBroker: "functions/provisioning/create-broker.handler",
  CheckBrokerState: "functions/provisioning/check-broker-state.handler",
  ReadEndpoints: "functions/provisioning/read-endpoints.handler",
  RecordBroker: "functions/provisioning/record-broker.handler",
  NotifyProvisioned: "functions/provisioning/notify-provisioned.handler",
  Compensate: "functions/provisioning/compensate.handler",
  DeleteConfiguration: "functions/provisioning/delete-configuration.handler",
  NotifyFailure: "functions/provisioning/notify-failure.handler",
} as const;

type FunctionKey = keyof typeof FUNCTIONS;

const correlation = { "correlationId.$": "$.correlationId" };

/**
 * Provisioning saga: validate → configuration → broker → wait until RUNNING (with a deadline) →
 * endpoints → record → notify. Any failure after validation compensates (deletes what was created,
 * records the failure, notifies) and ends in a Fail named after the error.
 */
export const provisioning: WorkflowSpec = {
  name: "provisioning",
  functions: FUNCTIONS,
  definition(resolveArn) {
    const arn = (key: FunctionKey) => resolveArn(key);
    return {
      Comment: "Provision an Amazon MQ for ActiveMQ broker, compensating on failure",
      StartAt: "ValidateRequest",
      TimeoutSeconds: 4 * 3600,
      States: {
        ValidateRequest: lambdaTask({
          resource: arn("ValidateRequest"),
          parameters: {
            ...correlation,
            "request.$": "$.request",
            "settings.$": "$.settings",
            "startedAt.$": "$$.Execution.StartTime",
            // The deadline counts from the execution's recorded start, which a re-run keeps.
            "executionName.$": "$$.Execution.Name",
          },
          resultPath: "$.validation",
          next: "CreateConfiguration",
          timeoutSeconds: 30,
          catchTo: "Compensate",
        }),
        CreateConfiguration: lambdaTask({
          resource: arn("CreateConfiguration"),
          parameters: { ...correlation, "request.$": "$.request", "clientToken.$": "$.clientToken" },
          resultPath: "$.configuration",
          next: "CreateBroker",
          catchTo: "Compensate",
        }),
        CreateBroker: lambdaTask({
          resource: arn("CreateBroker"),
          parameters: {
            ...correlation,
            "request.$": "$.request",
            "clientToken.$": "$.clientToken",
            "usersSecretId.$": "$.usersSecretId",
            "configuration.$": "$.configuration",
          },
          resultPath: "$.broker",
          next: "WaitForBroker",
          retryOn: ["ConflictException"],
          catchTo: "Compensate",
        }),
        WaitForBroker: {
          Type: "Wait",
          SecondsPath: "$.settings.pollIntervalSeconds",
          Next: "CheckBrokerState",
        },
        CheckBrokerState: lambdaTask({
          resource: arn("CheckBrokerState"),
          parameters: {
            ...correlation,
            "brokerId.$": "$.broker.brokerId",
            "deadline.$": "$.validation.deadline",
          },
          resultPath: "$.status",
          next: "IsBrokerRunning",
          timeoutSeconds: 30,
          catchTo: "Compensate",
        }),
        IsBrokerRunning: {
          Type: "Choice",
          Choices: [{ Variable: "$.status.brokerState", StringEquals: "RUNNING", Next: "ReadEndpoints" }],
          Default: "WaitForBroker",
        },
        ReadEndpoints: lambdaTask({
          resource: arn("ReadEndpoints"),
          parameters: { ...correlation, "brokerId.$": "$.broker.brokerId" },
          resultPath: "$.endpoints",
          next: "RecordBroker",
          timeoutSeconds: 30,
          catchTo: "Compensate",
        }),
        RecordBroker: lambdaTask({
          resource: arn("RecordBroker"),
          parameters: {
            ...correlation,
            "clientToken.$": "$.clientToken",
            "request.$": "$.request",
            "broker.$": "$.broker",
            "configuration.$": "$.configuration",
            "endpoints.$": "$.endpoints",
          },
          resultPath: null,
          next: "NotifyProvisioned",
          catchTo: "Compensate",
        }),
        NotifyProvisioned: lambdaTask({
          resource: arn("NotifyProvisioned"),
          parameters: {
            ...correlation,
            "brokerName.$": "$.request.brokerName",
            "broker.$": "$.broker",
            "endpoints.$": "$.endpoints",
          },
          resultPath: null,
          next: "Provisioned",
          timeoutSeconds: 30,
          catchTo: "Compensate",
        }),
        Provisioned: {
          Type: "Pass",
          Parameters: {
            "brokerId.$": "$.broker.brokerId",
            "brokerArn.$": "$.broker.brokerArn",
            "brokerName.$": "$.request.brokerName",
            "configuration.$": "$.configuration",
            "endpoints.$": "$.endpoints",
          },
          End: true,
        },
        Compensate: {
          ...lambdaTask({
            resource: arn("Compensate"),
            parameters: {
              ...correlation,
              "clientToken.$": "$.clientToken",
              "brokerName.$": "$.request.brokerName",
              "usersSecretId.$": "$.usersSecretId",
              "state.$": "$",
            },
            resultPath: "$.compensation",
            next: "IsConfigurationRetained",
            timeoutSeconds: 120,
          }),
          Catch: [
            { ErrorEquals: ["States.ALL"], ResultPath: "$.compensationError", Next: "CompensationFailed" },
          ],
        },
        // A configuration is in use until its broker's deletion has finished: delete it after that.
        IsConfigurationRetained: {
          Type: "Choice",
          Choices: [
            {
              And: [
                { Variable: "$.compensation.configuration", StringEquals: "retained (in use)" },
                { Variable: "$.compensation.brokerId", IsString: true },
              ],
              Next: "WaitForBrokerDeletion",
            },
          ],
          Default: "NotifyFailure",
        },
        WaitForBrokerDeletion: {
          Type: "Wait",
          SecondsPath: "$.settings.pollIntervalSeconds",
          Next: "DeleteConfiguration",
        },
        DeleteConfiguration: {
          ...lambdaTask({
            resource: arn("DeleteConfiguration"),
            parameters: {
              ...correlation,
              "brokerId.$": "$.compensation.brokerId",
              "configurationId.$": "$.configuration.configurationId",
            },
            resultPath: "$.configurationDeletion",
            next: "NotifyFailure",
            timeoutSeconds: 30,
          }),
          Retry: [
            // Amazon MQ takes minutes to delete a broker: keep asking for up to about 20 minutes.
            {
              ErrorEquals: [ERRORS.BrokerStillDeleting],
              IntervalSeconds: 3,
              MaxAttempts: 25,
              BackoffRate: 1.5,
              MaxDelaySeconds: 60,
            },
            { ErrorEquals: LAMBDA_TRANSIENT_ERRORS, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 },
            {
              ErrorEquals: [ERRORS.Throttled, ERRORS.TransientAws],
              IntervalSeconds: 2,
              MaxAttempts: 5,
              BackoffRate: 2,
              MaxDelaySeconds: 30,
            },
          ],
          Catch: [
            { ErrorEquals: ["States.ALL"], ResultPath: "$.compensationError", Next: "CompensationFailed" },
          ],
        },
        NotifyFailure: {
          ...lambdaTask({
            resource: arn("NotifyFailure"),
            parameters: {
              ...correlation,
              "brokerName.$": "$.request.brokerName",
              "error.$": "$.error",
              "compensation.$": "$.compensation",
            },
            resultPath: null,
            next: "RouteFailure",
            timeoutSeconds: 30,
          }),
          // A lost notification must not hide the real failure: go on to the named Fail.
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.notifyError", Next: "RouteFailure" }],
        },
        RouteFailure: {
          Type: "Choice",
          Choices: [
            { Variable: "$.error.Error", StringEquals: ERRORS.RequestValidation, Next: "InvalidRequest" },
            {
              Variable: "$.error.Error",
              StringEquals: ERRORS.BrokerCreationFailed,
              Next: "BrokerCreationFailed",
            },
            {
              Variable: "$.error.Error",
              StringEquals: ERRORS.ProvisioningDeadlineExceeded,
              Next: "DeadlineExceeded",
            },
          ],
          Default: "ProvisioningFailed",
        },
        InvalidRequest: fail(
          ERRORS.RequestValidation,
          "The provisioning request is invalid; nothing was created",
        ),
        BrokerCreationFailed: fail(
          ERRORS.BrokerCreationFailed,
          "Amazon MQ reported CREATION_FAILED; the broker was deleted",
        ),
        DeadlineExceeded: fail(
          ERRORS.ProvisioningDeadlineExceeded,
          "The broker did not reach RUNNING before the deadline; it was deleted",
        ),
        ProvisioningFailed: fail(
          ERRORS.ProvisioningFailed,
          "Provisioning failed; what was created was deleted",
        ),
        CompensationFailed: fail(
          ERRORS.CompensationFailed,
          "Provisioning failed and the clean-up did not complete; see the execution history",
        ),
      },
    };
  },
};
