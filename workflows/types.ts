import type { StateMachineDefinition } from "./asl.js";

/** A workflow as both clouds deploy it: its Lambda functions and its JSONPath definition. */
export interface WorkflowSpec {
  /** Short name: the state machine is `<app>-<stage>-<name>` on AWS, `<name>` locally. */
  name: string;
  /** Function key (PascalCase) → handler path (`functions/provisioning/create-broker.handler`). */
  functions: Record<string, string>;
  /** The definition with every Task's Resource resolved to the Lambda ARN of its function key. */
  definition(resolveArn: (functionKey: string) => string): StateMachineDefinition;
}
