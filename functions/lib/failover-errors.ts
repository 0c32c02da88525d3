/**
 * Named errors of the failover-detection workflow (re-exported by errors.ts). Their names are the
 * strings workflows/failover.ts uses in `ErrorEquals` and in its Fail states.
 */
import { namedError, REQUEST_VALIDATION_ERROR } from "./named-error.js";

/** Another check recorded the broker's failover state between this check's read and its write. */
export class FailoverStateConflictError extends namedError("FailoverStateConflictError") {
  constructor(brokerId: string, options?: ErrorOptions) {
    super(`The failover state of broker ${brokerId} was recorded by another check first`, options);
  }
}

/** EventBridge refused some entries of PutEvents (throttled or failed inside EventBridge). */
export class EventPublishFailedError extends namedError("EventPublishFailedError") {
  constructor(failed: number, reason: string, options?: ErrorOptions) {
    super(`EventBridge refused ${failed} event(s): ${reason}`, options);
  }
}

/** A promotion registration was written by someone else between this step's read and its write. */
export class PromotionConflictError extends namedError("PromotionConflictError") {
  constructor(brokerId: string, options?: ErrorOptions) {
    super(`The promotion registration of broker ${brokerId} was changed by another writer first`, options);
  }
}

/** The primary answered the check made right before Promote: a promotion now would split the pair. */
export class PrimaryAnswersError extends namedError("PrimaryAnswersError") {
  constructor(brokerId: string, instance: number) {
    super(`Broker ${brokerId}'s instance ${instance} answers: the replica is not promoted`);
  }
}

export const FAILOVER_ERRORS = {
  StateConflict: FailoverStateConflictError.errorName,
  EventPublishFailed: EventPublishFailedError.errorName,
  PromotionConflict: PromotionConflictError.errorName,
  PrimaryAnswers: PrimaryAnswersError.errorName,
  /** The round's error (not a thrown one) when a promoted replica did not serve within REPLICA_CHECKS. */
  ReplicaNotServing: "ReplicaNotServingError",
  /** The workflow's Fail when the brokers could not be listed or a broker's check failed. */
  CheckFailed: "FailoverCheckFailedError",
  /** The workflow's Fail for an invalid input (from StartExecution or the API). */
  InvalidRequest: REQUEST_VALIDATION_ERROR,
} as const;
