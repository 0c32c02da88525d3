/**
 * What an operator does when maintenance could not put a broker back as it was. Pure: the words
 * depend only on what was planned and what was rolled back.
 */
export interface RunbookInput {
  brokerId: string;
  brokerName: string;
  error: string;
  engineChanged: boolean;
  fromEngineVersion?: string;
  toEngineVersion?: string;
  configurationRolledBack: boolean;
  fromRevision?: number;
  /** The rollback itself failed with this error: what the run changed may still be in place. */
  rollbackFailed?: string;
}

export function runbook(input: RunbookInput): string[] {
  const steps = [
    `Look at broker ${input.brokerName} (${input.brokerId}): GET /brokers/${input.brokerId} shows its state, versions and pending changes; the maintenance run failed with ${input.error}.`,
  ];
  if (input.rollbackFailed !== undefined) {
    steps.push(
      `The rollback failed too (${input.rollbackFailed}): the configuration may still be the newer revision. If GET /brokers/${input.brokerId} shows it, set revision ${input.fromRevision ?? "?"} back (UpdateBroker with that configuration revision) and reboot the broker.`,
    );
  }
  if (input.configurationRolledBack) {
    steps.push(
      `Its configuration was rolled back to revision ${input.fromRevision ?? "?"} and the broker rebooted; fix the newer revision before the next window, or it is applied again.`,
    );
  }
  if (input.engineChanged) {
    steps.push(
      `The engine moved from ${input.fromEngineVersion ?? "?"} to ${input.toEngineVersion ?? "?"}; Amazon MQ cannot downgrade an engine version. If clients fail on the new version, restore service by creating a broker on the old version from the same configuration and users, and move clients to it.`,
    );
  }
  steps.push(
    "Check clients through the failover URL: send and receive one message on a test queue, and compare the broker's queues with what the applications expect.",
    "Tag the broker mqops:maintenance=skip to keep it out of the next window until it is fixed.",
  );
  return steps;
}
