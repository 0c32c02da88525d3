/**
 * Named errors of the failover-detection workflow (re-exported by errors.ts). Their names are the
 * strings workflows/failover.ts uses in `ErrorEquals` and in its Fail states.
 */

/** Another check recorded the broker's failover state between this check's read and its write. */
export class FailoverStateConflictError extends Error {
  constructor(brokerId: string, options?: ErrorOptions) {
    super(`The failover state of broker ${brokerId} was recorded by another check first`, options);
    this.name = "FailoverStateConflictError";
  }
}

/** EventBridge refused some entries of PutEvents (throttled or failed inside EventBridge). */
export class EventPublishFailedError extends Error {
  constructor(failed: number, reason: string, options?: ErrorOptions) {
    super(`EventBridge refused ${failed} event(s): ${reason}`, options);
    this.name = "EventPublishFailedError";
  }
}

/** A promotion registration was written by someone else between this step's read and its write. */
export class PromotionConflictError extends Error {
  constructor(brokerId: string, options?: ErrorOptions) {
    super(`The promotion registration of broker ${brokerId} was changed by another writer first`, options);
    this.name = "PromotionConflictError";
  }
}

/** The primary answered the check made right before Promote: a promotion now would split the pair. */
export class PrimaryAnswersError extends Error {
  constructor(brokerId: string, instance: number) {
    super(`Broker ${brokerId}'s instance ${instance} answers: the replica is not promoted`);
    this.name = "PrimaryAnswersError";
  }
}

export const FAILOVER_ERRORS = {
  StateConflict: "FailoverStateConflictError",
  EventPublishFailed: "EventPublishFailedError",
  PromotionConflict: "PromotionConflictError",
  PrimaryAnswers: "PrimaryAnswersError",
  /** The round's error (not a thrown one) when a promoted replica did not serve within REPLICA_CHECKS. */
  ReplicaNotServing: "ReplicaNotServingError",
  /** The workflow's Fail when the brokers could not be listed or a broker's check failed. */
  CheckFailed: "FailoverCheckFailedError",
  /** The workflow's Fail for an invalid input (from StartExecution or the API). */
  InvalidRequest: "RequestValidationError",
} as const;
