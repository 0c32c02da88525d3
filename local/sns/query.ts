import { AwsServiceError } from "../server/aws-error.js";
import type { AwsRequest } from "../server/service.js";
import { xmlEscape } from "../server/xml-escape.js";

const NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

/** An SNS Query-protocol answer: `<{Action}Response><{Action}Result>…`. */
export function respond(action: string, request: AwsRequest, result: string) {
  return {
    status: 200,
    headers: { "content-type": "text/xml" },
    body:
      `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${request.requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export const element = (name: string, value: string) => `<${name}>${xmlEscape(value)}</${name}>`;

export const invalidParameter = (what: string) =>
  new AwsServiceError("InvalidParameter", `Invalid parameter: ${what}`);

export function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === "") throw invalidParameter(`${name} Reason: ${name} is required`);
  return value;
}

/** `Prefix.entry.N.{key,value}` (Attributes) or `Prefix.entry.N.Name/.Value.StringValue` (MessageAttributes). */
export function entries(params: URLSearchParams, prefix: string, key = "key", value = "value") {
  const out: Record<string, string> = {};
  for (let n = 1; params.has(`${prefix}.entry.${n}.${key}`); n++) {
    out[params.get(`${prefix}.entry.${n}.${key}`) ?? ""] = params.get(`${prefix}.entry.${n}.${value}`) ?? "";
  }
  return out;
}

export const messageAttributes = (params: URLSearchParams, prefix = "MessageAttributes") =>
  entries(params, prefix, "Name", "Value.StringValue");

/** `Prefix.member.N` (a list of strings) or, with fields, `Prefix.member.N.Field` objects. */
export function members(params: URLSearchParams, prefix: string): string[] {
  const out: string[] = [];
  for (let n = 1; params.has(`${prefix}.member.${n}`); n++)
    out.push(params.get(`${prefix}.member.${n}`) ?? "");
  return out;
}

export function memberObjects(
  params: URLSearchParams,
  prefix: string,
): { prefix: string; get(field: string): string | undefined }[] {
  const out: { prefix: string; get(field: string): string | undefined }[] = [];
  for (let n = 1; [...params.keys()].some((key) => key.startsWith(`${prefix}.member.${n}.`)); n++) {
    const member = `${prefix}.member.${n}`;
    out.push({ prefix: member, get: (field) => params.get(`${member}.${field}`) ?? undefined });
  }
  return out;
}
