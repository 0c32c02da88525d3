import type { JsonOperation } from "../server/json-service.js";
import { invalidOutput, invalidToken, taskDoesNotExist, validationError } from "./errors.js";
import { optionalString } from "./validation.js";

/** The prefix of task tokens the local cloud would issue (it issues none yet: see below). */
const LOCAL_TOKEN_PREFIX = "mqops-local-task-";

function checkToken(input: Record<string, unknown>): string {
  const token = input.taskToken;
  if (typeof token !== "string" || token.length < 1 || token.length > 2048) {
    throw validationError(
      "1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length less than or equal to 2048",
    );
  }
  return token;
}

/**
 * SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat. The local engine does not support
 * `.waitForTaskToken` (`$$.Task.Token` stays empty), so no task ever waits for a token: a token that is
 * not one the local cloud could have issued is InvalidToken, and one in its format names a task that
 * does not exist (TaskDoesNotExist), as AWS answers for a token whose task has ended.
 */
export function taskTokenOperations(): Record<string, JsonOperation> {
  const unknownTask = (token: string) => {
    if (!token.startsWith(LOCAL_TOKEN_PREFIX)) throw invalidToken(`Invalid Token: '${token.slice(0, 40)}'`);
    throw taskDoesNotExist();
  };
  return {
    SendTaskSuccess(input) {
      const token = checkToken(input);
      if (typeof input.output !== "string") throw invalidOutput("Invalid Output: 'output is required'");
      try {
        JSON.parse(input.output);
      } catch {
        throw invalidOutput(`Invalid Output: '${input.output.slice(0, 40)}'`);
      }
      return unknownTask(token);
    },
    SendTaskFailure(input) {
      const token = checkToken(input);
      optionalString(input, "error", 256);
      optionalString(input, "cause", 32768);
      return unknownTask(token);
    },
    SendTaskHeartbeat(input) {
      return unknownTask(checkToken(input));
    },
  };
}
