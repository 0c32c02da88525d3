/** The configuration cannot be turned into an activemq.xml (not XML, no `<broker>`, missing ports). */
export class BrokerConfigurationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BrokerConfigurationError";
  }
}

/**
 * The broker did not come up: a JVM exited before accepting connections (its first error is in the
 * message), a port was taken, or it took too long. Nothing of the broker is left running.
 */
export class BrokerStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BrokerStartError";
  }
}

/** `start` was called for a broker whose processes are already running: stop it first. */
export class BrokerAlreadyRunningError extends Error {
  constructor(brokerId: string) {
    super(`broker ${brokerId} is already running; stop it before starting it again`);
    this.name = "BrokerAlreadyRunningError";
  }
}
