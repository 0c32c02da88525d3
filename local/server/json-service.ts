import { AwsServiceError } from "./aws-error.js";
import type { AwsRequest, AwsResponse, ErrorFormat, LocalService } from "./service.js";

export type JsonOperation = (
  input: Record<string, unknown>,
  request: AwsRequest,
) => Promise<unknown> | unknown;

/**
 * A service on the AWS JSON protocol (1.0 or 1.1): POST / with `X-Amz-Target: <prefix>.<Operation>`
 * and a JSON body; the answer is the output as JSON, errors as `{"__type", "message"}` (or the
 * service's own message member).
 */
export function jsonService(options: {
  signingName: string;
  targetPrefix: string;
  version: "1.0" | "1.1";
  operations: Record<string, JsonOperation>;
  close?: () => Promise<void>;
  /** How the service's errors are written (e.g. the `Message` member of Secrets Manager's errors). */
  errorFormat?: ErrorFormat;
}): LocalService {
  const contentType = `application/x-amz-json-${options.version}`;
  return {
    signingName: options.signingName,
    protocol: "json",
    close: options.close,
    errorFormat: options.errorFormat,
    async handle(request): Promise<AwsResponse> {
      const target = request.headers["x-amz-target"] ?? "";
      const [prefix, operationName = ""] = target.split(".");
      const operation = prefix === options.targetPrefix ? options.operations[operationName] : undefined;
      if (request.method !== "POST" || operation === undefined) {
        throw new AwsServiceError("UnknownOperationException", `Unknown operation ${target}`, 400);
      }
      let input: Record<string, unknown>;
      try {
        const parsed: unknown = request.body.length === 0 ? {} : JSON.parse(request.body.toString("utf8"));
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
          throw new Error("not an object");
        input = parsed as Record<string, unknown>;
      } catch {
        throw new AwsServiceError(
          "SerializationException",
          "Start of structure or map found where not expected.",
          400,
        );
      }
      const output = await operation(input, request);
      return {
        status: 200,
        headers: { "content-type": contentType },
        body: JSON.stringify(output ?? {}),
      };
    },
  };
}
