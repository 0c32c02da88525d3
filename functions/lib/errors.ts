/**
 * Named errors. A class's name is the string the workflows use in `ErrorEquals` and `Catch` (Step
 * Functions matches it exactly; read it as `Class.errorName`), and its status is what the API answers
 * with, as middy's `HttpError` carries one. An error without a status is a 500 if it reaches the API.
 */
import { namedError, REQUEST_VALIDATION_ERROR } from "./named-error.js";

export { NamedError, namedError } from "./named-error.js";

export interface FieldIssue {
  field: string;
  message: string;
}

export class RequestValidationError extends namedError(REQUEST_VALIDATION_ERROR, 400) {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(`The request is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`);
    this.issues = issues;
  }
}

export class BrokerNotFoundError extends namedError("BrokerNotFoundError", 404) {
  constructor(brokerId: string, options?: ErrorOptions) {
    super(`Broker ${brokerId} does not exist`, options);
  }
}

export class ExecutionNotFoundError extends namedError("ExecutionNotFoundError", 404) {
  constructor(executionId: string, options?: ErrorOptions) {
    super(`Execution ${executionId} does not exist`, options);
  }
}

export class IdempotencyConflictError extends namedError("IdempotencyConflictError", 409) {
  constructor(clientToken: string) {
    super(`Client token ${clientToken} was already used with a different request`);
  }
}

export class ResourceConflictError extends namedError("ResourceConflictError", 409) {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

export class BrokerCreationFailedError extends namedError("BrokerCreationFailedError") {
  constructor(brokerId: string) {
    super(`Broker ${brokerId} reached CREATION_FAILED`);
  }
}

/** The compensated broker is still being deleted, so its configuration cannot be deleted yet (retried). */
export class BrokerStillDeletingError extends namedError("BrokerStillDeletingError") {
  constructor(brokerId: string, state: string) {
    super(`Broker ${brokerId} is still ${state}; its configuration is deleted once it is gone`);
  }
}

export class ProvisioningDeadlineExceededError extends namedError("ProvisioningDeadlineExceededError") {
  constructor(brokerId: string, state: string, deadline: string) {
    super(`Broker ${brokerId} was still ${state} at the deadline ${deadline}`);
  }
}

export class EndpointVerificationError extends namedError("EndpointVerificationError") {
  constructor(message: string) {
    super(message);
  }
}

/** AWS answered 429 or a throttling error: the workflow retries with backoff. */
export class ThrottledError extends namedError("ThrottledError", 503) {
  constructor(operation: string, options?: ErrorOptions) {
    super(`${operation} was throttled`, options);
  }
}

/** AWS answered 5xx or the connection failed: safe to retry. */
export class TransientAwsError extends namedError("TransientAwsError", 503) {
  constructor(operation: string, options?: ErrorOptions) {
    super(`${operation} failed with a transient error`, options);
  }
}

/** No autoscaling registration for the queue (or for the alarm that started the workflow). */
export class RegistrationNotFoundError extends namedError("RegistrationNotFoundError", 404) {
  constructor(what: string, options?: ErrorOptions) {
    super(`No autoscaling registration for ${what}`, options);
  }
}

/** The registered ECS service is gone (deleted, draining or inactive) or its cluster is. */
export class ServiceNotFoundError extends namedError("ServiceNotFoundError", 404) {
  constructor(cluster: string, service: string, options?: ErrorOptions) {
    super(`ECS service ${service} in cluster ${cluster} does not exist or is not active`, options);
  }
}

/** Another execution holds the queue's decision lease: it decides, this one steps aside. */
export class DecisionInProgressError extends namedError("DecisionInProgressError") {
  constructor(registrationId: string, holder: string, options?: ErrorOptions) {
    super(`Autoscaling ${registrationId} is being decided by ${holder}`, options);
  }
}

/** This execution lost the queue's lease (or another decision was applied) before it could apply. */
export class DecisionSupersededError extends namedError("DecisionSupersededError") {
  constructor(registrationId: string, options?: ErrorOptions) {
    super(`Autoscaling ${registrationId}: another decision was applied first`, options);
  }
}

/** Error names the workflows refer to, by class: a rename breaks the build, not production. */
export const ERRORS = {
  RequestValidation: RequestValidationError.errorName,
  BrokerNotFound: BrokerNotFoundError.errorName,
  BrokerCreationFailed: BrokerCreationFailedError.errorName,
  ProvisioningDeadlineExceeded: ProvisioningDeadlineExceededError.errorName,
  EndpointVerification: EndpointVerificationError.errorName,
  Throttled: ThrottledError.errorName,
  TransientAws: TransientAwsError.errorName,
  RegistrationNotFound: RegistrationNotFoundError.errorName,
  ServiceNotFound: ServiceNotFoundError.errorName,
  DecisionInProgress: DecisionInProgressError.errorName,
  DecisionSuperseded: DecisionSupersededError.errorName,
  BrokerStillDeleting: BrokerStillDeletingError.errorName,
  /** The provisioning workflow's Fail when it could not provision (and cleaned up). */
  ProvisioningFailed: "ProvisioningFailedError",
  /** The provisioning workflow's Fail when the clean-up itself failed (recorded for an operator). */
  CompensationFailed: "CompensationFailedError",
  /** The autoscaling workflow's Fail for any other error (the error itself is recorded). */
  AutoscalingFailed: "AutoscalingFailedError",
} as const;

export * from "./failover-errors.js";
export * from "./maintenance-errors.js";
