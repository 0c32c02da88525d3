import { gunzipSync } from "node:zlib";
import { AwsServiceError } from "../../server/aws-error.js";
import type { AwsRequest, AwsResponse, WireProtocol } from "../../server/service.js";
import { decodeJson, encodeJson } from "./json.js";
import { errorShapeName, operationModel } from "./model.js";
import type { CloudWatchOperation } from "./operation.js";
import { decodeQuery, encodeQueryResponse } from "./query.js";

export const CLOUDWATCH_XML_NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";
const TARGET_PREFIX = "GraniteServiceVersion20100801";
const API_VERSION = "2010-08-01";
const JSON_CONTENT_TYPE = "application/x-amz-json-1.0";
/** A gzip body may not inflate beyond this (PutMetricData's 1 MB limit, with room to spare). */
const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

/**
 * Which of CloudWatch's two protocols a request speaks: AWS JSON 1.0 names its operation in
 * `X-Amz-Target` (SDK v3, botocore ≥ 1.31); the Query protocol (AWS CLI 2.9, older SDKs) in a form
 * parameter `Action`.
 */
export const protocolOf = (request: { headers: Record<string, string> }): WireProtocol =>
  request.headers["x-amz-target"] === undefined ? "query" : "json";

/** How the server writes CloudWatch errors it raises itself (signatures, crashes). */
export const cloudWatchErrorFormat = {
  xmlNamespace: CLOUDWATCH_XML_NAMESPACE,
  queryCompatible: { shapeNameOf: errorShapeName },
};

/**
 * The request body as sent before compression: the SDKs gzip large PutMetricData bodies (Smithy's
 * `requestCompression` trait) and say so in Content-Encoding.
 */
function bodyText(request: AwsRequest): string {
  const encodings = (request.headers["content-encoding"] ?? "").split(",").map((e) => e.trim().toLowerCase());
  if (!encodings.includes("gzip")) return request.body.toString("utf8");
  try {
    return gunzipSync(request.body, { maxOutputLength: MAX_INFLATED_BYTES }).toString("utf8");
  } catch {
    throw new AwsServiceError(
      "SerializationException",
      "The request body is not valid gzip data, or too large.",
    );
  }
}

async function handleJson(
  request: AwsRequest,
  operations: Record<string, CloudWatchOperation>,
): Promise<AwsResponse> {
  const target = request.headers["x-amz-target"] ?? "";
  const [prefix, name = ""] = target.split(".");
  const model = operationModel(name);
  const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
  if (
    request.method !== "POST" ||
    prefix !== TARGET_PREFIX ||
    model === undefined ||
    operation === undefined
  ) {
    throw new AwsServiceError("UnknownOperationException", `Unknown operation ${target}`, 400);
  }
  let body: unknown;
  try {
    const text = bodyText(request);
    body = text.length === 0 ? {} : JSON.parse(text);
  } catch {
    throw new AwsServiceError(
      "SerializationException",
      "Start of structure or map found where not expected.",
    );
  }
  const input = decodeJson(model.input, body) as Record<string, unknown> | undefined;
  const output = await operation(input ?? {}, request);
  return {
    status: 200,
    headers: { "content-type": JSON_CONTENT_TYPE },
    body: JSON.stringify(model.output.isUnitSchema() ? {} : (encodeJson(model.output, output ?? {}) ?? {})),
  };
}

async function handleQuery(
  request: AwsRequest,
  operations: Record<string, CloudWatchOperation>,
): Promise<AwsResponse> {
  const params =
    request.method === "POST"
      ? new URLSearchParams(request.body.toString("utf8"))
      : new URLSearchParams(request.query);
  const action = params.get("Action") ?? "";
  const model = operationModel(action);
  const operation = Object.hasOwn(operations, action) ? operations[action] : undefined;
  if (model === undefined || operation === undefined || params.get("Version") !== API_VERSION) {
    throw new AwsServiceError(
      "InvalidAction",
      `Could not find operation ${action} for version ${params.get("Version") ?? "NO_VERSION_SPECIFIED"}`,
    );
  }
  const output = await operation(decodeQuery(model.input, params), request);
  return {
    status: 200,
    headers: { "content-type": "text/xml" },
    body: encodeQueryResponse(action, model.output, output, CLOUDWATCH_XML_NAMESPACE, request.requestId),
  };
}

/** Decodes a request in its protocol, runs the operation and encodes its output the same way. */
export function handleCloudWatchRequest(
  request: AwsRequest,
  operations: Record<string, CloudWatchOperation>,
): Promise<AwsResponse> {
  return protocolOf(request) === "json" ? handleJson(request, operations) : handleQuery(request, operations);
}
