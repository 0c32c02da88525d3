/**
 * Named errors of the maintenance workflow (re-exported by errors.ts). Their names are the strings
 * workflows/maintenance.ts uses in `ErrorEquals` and in its Fail states.
 */

/** The broker is not fit for maintenance: not RUNNING, actions required, a pending change, an instance missing. */
export class MaintenancePrecheckFailedError extends Error {
  readonly problems: string[];
  constructor(brokerId: string, problems: string[]) {
    super(`Broker ${brokerId} failed the maintenance precheck: ${problems.join("; ")}`);
    this.name = "MaintenancePrecheckFailedError";
    this.problems = problems;
  }
}

/** Amazon MQ refused the UpdateBroker call (BadRequestException, ForbiddenException, …). */
export class UpdateBrokerRefusedError extends Error {
  constructor(brokerId: string, reason: string, options?: ErrorOptions) {
    super(`Amazon MQ refused UpdateBroker for ${brokerId}: ${reason}`, options);
    this.name = "UpdateBrokerRefusedError";
  }
}

/** Amazon MQ refused the RebootBroker call. */
export class RebootBrokerRefusedError extends Error {
  constructor(brokerId: string, reason: string, options?: ErrorOptions) {
    super(`Amazon MQ refused RebootBroker for ${brokerId}: ${reason}`, options);
    this.name = "RebootBrokerRefusedError";
  }
}

/** After the reboot the broker needs an operator (CRITICAL_ACTION_REQUIRED, actions required). */
export class BrokerRebootFailedError extends Error {
  constructor(brokerId: string, detail: string) {
    super(`Broker ${brokerId} did not come back from its reboot: ${detail}`);
    this.name = "BrokerRebootFailedError";
  }
}

/** The broker did not settle (RUNNING, nothing pending, the planned version) before the deadline. */
export class MaintenanceDeadlineExceededError extends Error {
  constructor(brokerId: string, detail: string, deadline: string) {
    super(`Broker ${brokerId} had not settled at the deadline ${deadline}: ${detail}`);
    this.name = "MaintenanceDeadlineExceededError";
  }
}

/** After the change, a message did not make the round trip or queues went missing. */
export class MaintenancePostcheckFailedError extends Error {
  readonly problems: string[];
  constructor(brokerId: string, problems: string[]) {
    super(`Broker ${brokerId} failed the maintenance postcheck: ${problems.join("; ")}`);
    this.name = "MaintenancePostcheckFailedError";
    this.problems = problems;
  }
}

/** The broker's users' passwords could not be read (no secret recorded for it, or it lacks them). */
export class BrokerCredentialsUnavailableError extends Error {
  constructor(brokerId: string, reason: string, options?: ErrorOptions) {
    super(`No broker credentials for ${brokerId}: ${reason}`, options);
    this.name = "BrokerCredentialsUnavailableError";
  }
}

/** Rolling back the configuration did not bring the broker back as it was. */
export class MaintenanceRollbackFailedError extends Error {
  constructor(brokerId: string, reason: string, options?: ErrorOptions) {
    super(`Rolling back broker ${brokerId} failed: ${reason}`, options);
    this.name = "MaintenanceRollbackFailedError";
  }
}

/** Error names of the maintenance workflow: the Fail states and the step errors it routes on. */
export const MAINTENANCE_ERRORS = {
  PrecheckFailed: "MaintenancePrecheckFailedError",
  UpdateBrokerRefused: "UpdateBrokerRefusedError",
  RebootBrokerRefused: "RebootBrokerRefusedError",
  RebootFailed: "BrokerRebootFailedError",
  DeadlineExceeded: "MaintenanceDeadlineExceededError",
  PostcheckFailed: "MaintenancePostcheckFailedError",
  CredentialsUnavailable: "BrokerCredentialsUnavailableError",
  RollbackFailed: "MaintenanceRollbackFailedError",
  /** Fail: the canary broker failed, the rest of the wave was not touched. */
  CanaryFailed: "MaintenanceCanaryFailedError",
  /** Fail: at least one broker of the wave failed or was rolled back. */
  MaintenanceFailed: "MaintenanceFailedError",
  /** Fail: the input (schedule, API or StartExecution) is not a maintenance request. */
  InvalidRequest: "RequestValidationError",
} as const;
