/** `MQOPS_METRICS_PERIOD_SECONDS` is not one of the periods the collector publishes at. */
export class InvalidMetricsPeriodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidMetricsPeriodError";
  }
}

/** A broker instance did not answer a statistics request in time, or its connection failed. */
export class StatisticsUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StatisticsUnavailableError";
  }
}
