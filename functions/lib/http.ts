import type { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { NamedError, RequestValidationError } from "./errors.js";

const JSON_HEADERS = { "content-type": "application/json" };

/** A JSON response with the given status. */
export function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/** Maps a thrown error to the API's error shape: `{ error, message, issues? }`. */
export function toHttpErrorResponse(error: unknown, logger: Logger): APIGatewayProxyStructuredResultV2 {
  const name = error instanceof Error ? error.name : "UnknownError";
  const status = error instanceof NamedError ? error.statusCode : undefined;
  if (status === undefined) {
    logger.error("Unhandled error", { errorName: name, error: error instanceof Error ? error.message : "" });
    return json(500, { error: "InternalError", message: "The request could not be completed" });
  }
  if (status >= 500) logger.warn("Dependency unavailable", { errorName: name });
  const message = error instanceof Error ? error.message : name;
  if (error instanceof RequestValidationError) {
    return json(status, {
      error: "ValidationError",
      message: "The request is invalid",
      issues: error.issues,
    });
  }
  return json(status, { error: name.replace(/Error$/, ""), message });
}

/** The path parameter `name`, or a 400 naming it when it is missing. */
export function pathParameter(event: APIGatewayProxyEventV2, name: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined || value === "") {
    throw new RequestValidationError([{ field: name, message: "is required in the path" }]);
  }
  try {
    return decodeURIComponent(value);
  } catch {
    // Malformed percent-encoding (`%E0%A4%A`) is the client's error, not a 500.
    throw new RequestValidationError([{ field: name, message: "is not valid URL encoding" }]);
  }
}

/** The JSON body as an unknown value, or a 400 when it is not JSON. */
export function jsonBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === "") {
    throw new RequestValidationError([{ field: "body", message: "is required (a JSON object)" }]);
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestValidationError([{ field: "body", message: "is not valid JSON" }]);
  }
}
