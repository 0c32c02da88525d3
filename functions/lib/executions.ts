/** Execution names are derived from the client token, so a retried request maps to the same execution. */
export const executionName = (clientToken: string) => `provision-${clientToken}`;

const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Whether a string can be an execution name mqops started (guards the path parameter). */
export const isExecutionName = (name: string) => EXECUTION_NAME.test(name);

/** The execution ARN for a name, as Step Functions forms it from the state machine ARN. */
export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
}
