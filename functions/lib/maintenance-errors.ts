/**
 * Named errors of the maintenance workflow (re-exported by errors.ts). Their names are the strings
 * workflows/maintenance.ts uses in `ErrorEquals` and in its Fail states.
 */
import { namedError, REQUEST_VALIDATION_ERROR } from "./named-error.js";

/** The broker is not fit for maintenance: not RUNNING, actions required, a pending change, an instance missing. */
export class MaintenancePrecheckFailedError extends namedError("MaintenancePrecheckFailedError") {
  readonly problems: string[];
  constructor(brokerId: string, problems: string[]) {
    super(`Broker ${brokerId} failed the maintenance precheck: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

/** Amazon MQ refused the UpdateBroker call (BadRequestException, ForbiddenException, …). */
export class UpdateBrokerRefusedError extends namedError("UpdateBrokerRefusedError") {
  constructor(brokerId: string, reason: string, options?: ErrorOptions) {
    super(`Amazon MQ refused UpdateBroker for ${brokerId}: ${reason}`, options);
  }
}

/** Amazon MQ refused the RebootBroker call. */
export class RebootBrokerRefusedError extends namedError("RebootBrokerRefusedError") {
  constructor(brokerId: string, reason: string, options?: ErrorOptions) {
    super(`Amazon MQ refused RebootBroker for ${brokerId}: ${reason}`, options);
  }
}

/** After the reboot the broker needs an operator (CRITICAL_ACTION_REQUIRED, actions required). */
export class BrokerRebootFailedError extends namedError("BrokerRebootFailedError") {
  constructor(brokerId: string, detail: string) {
    super(`Broker ${brokerId} did not come back from its reboot: ${detail}`);
  }
}

/** The broker did not settle (RUNNING, nothing pending, the planned version) before the deadline. */
export class MaintenanceDeadlineExceededError extends namedError("MaintenanceDeadlineExceededError") {
  constructor(brokerId: string, detail: string, deadline: string) {
    super(`Broker ${brokerId} had not settled at the deadline ${deadline}: ${detail}`);
  }
}

/** After the change, a message did not make the round trip or queues went missing. */
export class MaintenancePostcheckFailedError extends namedError("MaintenancePostcheckFailedError") {
  readonly problems: string[];
  constructor(brokerId: string, problems: string[]) {
    super(`Broker ${brokerId} failed the maintenance postcheck: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

/** The broker's users' passwords could not be read (no secret recorded for it, or it lacks them). */
export class BrokerCredentialsUnavailableError extends namedError("BrokerCredentialsUnavailableError") {
  constructor(brokerId: string, reason: string, options?: ErrorOptions) {
    super(`No broker credentials for ${brokerId}: ${reason}`, options);
  }
}

/** Rolling back the configuration did not bring the broker back as it was. */
export class MaintenanceRollbackFailedError extends namedError("MaintenanceRollbackFailedError") {
  constructor(brokerId: string, reason: string, options?: ErrorOptions) {
    super(`Rolling back broker ${brokerId} failed: ${reason}`, options);
  }
}

/** Error names of the maintenance workflow: the Fail states and the step errors it routes on. */
export const MAINTENANCE_ERRORS = {
  PrecheckFailed: MaintenancePrecheckFailedError.errorName,
  UpdateBrokerRefused: UpdateBrokerRefusedError.errorName,
  RebootBrokerRefused: RebootBrokerRefusedError.errorName,
  RebootFailed: BrokerRebootFailedError.errorName,
  DeadlineExceeded: MaintenanceDeadlineExceededError.errorName,
  PostcheckFailed: MaintenancePostcheckFailedError.errorName,
  CredentialsUnavailable: BrokerCredentialsUnavailableError.errorName,
  RollbackFailed: MaintenanceRollbackFailedError.errorName,
  /** Fail: the canary broker failed, the rest of the wave was not touched. */
  CanaryFailed: "MaintenanceCanaryFailedError",
  /** Fail: at least one broker of the wave failed or was rolled back. */
  MaintenanceFailed: "MaintenanceFailedError",
  /** Fail: the input (schedule, API or StartExecution) is not a maintenance request. */
  InvalidRequest: REQUEST_VALIDATION_ERROR,
} as const;
