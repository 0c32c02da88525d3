import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import { errorMessage } from "../../functions/lib/error-message.js";

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Where the project's root is, so handler paths like `functions/api/x.handler` resolve. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, "..", "..");

/**
 * Loads a handler named as SST and Lambda name it (`functions/provisioning/create-broker.handler`):
 * the module path, then the exported function.
 */
export async function loadHandler(handlerPath: string, root = PROJECT_ROOT): Promise<LambdaHandler> {
  const dot = handlerPath.lastIndexOf(".");
  const modulePath = path.join(root, `${handlerPath.slice(0, dot)}.ts`);
  const exportName = handlerPath.slice(dot + 1);
  const module = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  const handler = module[exportName];
  if (typeof handler !== "function") {
    throw new Error(`${handlerPath}: ${modulePath} exports no function named ${exportName}`);
  }
  return handler as LambdaHandler;
}

/** A Lambda context as the runtime gives one, with the time left counting down from the timeout. */
export function lambdaContext(functionName: string, timeoutMs = 60_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? "us-east-1"}:000000000000:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * A function error as Step Functions sees it: the name is the handler's error type (what
 * `ErrorEquals` matches) and the message is Lambda's JSON Cause (`{"errorType","errorMessage"}`).
 */
export class LambdaFunctionError extends Error {
  constructor(errorType: string, errorMessage: string) {
    super(JSON.stringify({ errorType, errorMessage }));
    this.name = errorType;
  }
}

/**
 * Invokes a handler the way Lambda does: the payload and the result cross a JSON boundary, and a
 * thrown error becomes a {@link LambdaFunctionError} carrying its name.
 */
export async function invoke(
  handler: LambdaHandler,
  functionName: string,
  payload: unknown,
  timeoutMs?: number,
): Promise<unknown> {
  const event = JSON.parse(JSON.stringify(payload ?? null)) as unknown;
  try {
    const result = await handler(event, lambdaContext(functionName, timeoutMs));
    return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
  } catch (error) {
    const errorType = error instanceof Error ? error.name : "Error";
    const message = errorMessage(error);
    throw new LambdaFunctionError(errorType, message);
  }
}
