/**
 * Named errors. Their names are the strings the workflows use in `ErrorEquals` and `Catch`,
 * so every class sets `this.name` (Step Functions matches the name exactly).
 */
export interface FieldIssue {
  field: string;
  message: string;
}

export class RequestValidationError extends Error {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(`The request is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`);
    this.name = "RequestValidationError";
    this.issues = issues;
  }
}

export class BrokerNotFoundError extends Error {
  constructor(brokerId: string, options?: ErrorOptions) {
    super(`Broker ${brokerId} does not exist`, options);
    this.name = "BrokerNotFoundError";
  }
}

export class ExecutionNotFoundError extends Error {
  constructor(executionId: string, options?: ErrorOptions) {
    super(`Execution ${executionId} does not exist`, options);
    this.name = "ExecutionNotFoundError";
  }
}

export class IdempotencyConflictError extends Error {
  constructor(clientToken: string) {
    super(`Client token ${clientToken} was already used with a different request`);
    this.name = "IdempotencyConflictError";
  }
}

export class ResourceConflictError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ResourceConflictError";
  }
}

export class BrokerCreationFailedError extends Error {
  constructor(brokerId: string) {
    super(`Broker ${brokerId} reached CREATION_FAILED`);
    this.name = "BrokerCreationFailedError";
  }
}

/** The compensated broker is still being deleted, so its configuration cannot be deleted yet (retried). */
export class BrokerStillDeletingError extends Error {
  constructor(brokerId: string, state: string) {
    super(`Broker ${brokerId} is still ${state}; its configuration is deleted once it is gone`);
    this.name = "BrokerStillDeletingError";
  }
}

export class ProvisioningDeadlineExceededError extends Error {
  constructor(brokerId: string, state: string, deadline: string) {
    super(`Broker ${brokerId} was still ${state} at the deadline ${deadline}`);
    this.name = "ProvisioningDeadlineExceededError";
  }
}

export class EndpointVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EndpointVerificationError";
  }
}

/** AWS answered 429 or a throttling error: the workflow retries with backoff. */
export class ThrottledError extends Error {
  constructor(operation: string, options?: ErrorOptions) {
    super(`${operation} was throttled`, options);
    this.name = "ThrottledError";
  }
}

/** AWS answered 5xx or the connection failed: safe to retry. */
export class TransientAwsError extends Error {
  constructor(operation: string, options?: ErrorOptions) {
    super(`${operation} failed with a transient error`, options);
    this.name = "TransientAwsError";
  }
}

/** No autoscaling registration for the queue (or for the alarm that started the workflow). */
export class RegistrationNotFoundError extends Error {
  constructor(what: string, options?: ErrorOptions) {
    super(`No autoscaling registration for ${what}`, options);
    this.name = "RegistrationNotFoundError";
  }
}

/** The registered ECS service is gone (deleted, draining or inactive) or its cluster is. */
export class ServiceNotFoundError extends Error {
  constructor(cluster: string, service: string, options?: ErrorOptions) {
    super(`ECS service ${service} in cluster ${cluster} does not exist or is not active`, options);
    this.name = "ServiceNotFoundError";
  }
}

/** Another execution holds the queue's decision lease: it decides, this one steps aside. */
export class DecisionInProgressError extends Error {
  constructor(registrationId: string, holder: string, options?: ErrorOptions) {
    super(`Autoscaling ${registrationId} is being decided by ${holder}`, options);
    this.name = "DecisionInProgressError";
  }
}

/** This execution lost the queue's lease (or another decision was applied) before it could apply. */
export class DecisionSupersededError extends Error {
  constructor(registrationId: string, options?: ErrorOptions) {
    super(`Autoscaling ${registrationId}: another decision was applied first`, options);
    this.name = "DecisionSupersededError";
  }
}

/** Error names the workflows refer to; a single source so a rename breaks the build, not production. */
export const ERRORS = {
  RequestValidation: "RequestValidationError",
  BrokerNotFound: "BrokerNotFoundError",
  BrokerCreationFailed: "BrokerCreationFailedError",
  ProvisioningDeadlineExceeded: "ProvisioningDeadlineExceededError",
  EndpointVerification: "EndpointVerificationError",
  Throttled: "ThrottledError",
  TransientAws: "TransientAwsError",
  RegistrationNotFound: "RegistrationNotFoundError",
  ServiceNotFound: "ServiceNotFoundError",
  DecisionInProgress: "DecisionInProgressError",
  DecisionSuperseded: "DecisionSupersededError",
  /** The autoscaling workflow's Fail for any other error (the error itself is recorded). */
  AutoscalingFailed: "AutoscalingFailedError",
} as const;

export * from "./failover-errors.js";
export * from "./maintenance-errors.js";
