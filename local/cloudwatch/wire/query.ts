import type { NormalizedSchema } from "@smithy/core/schema";
import { xmlEscape } from "../../server/xml-escape.js";
import { invalidParameterValue } from "./errors.js";

/** The parameters of a Query request as a tree of their dotted names (`MetricData.member.1.Value`). */
interface ParamNode {
  value?: string;
  children: Map<string, ParamNode>;
}

function paramTree(params: URLSearchParams): ParamNode {
  const root: ParamNode = { children: new Map() };
  for (const [key, value] of params) {
    let node = root;
    for (const segment of key.split(".")) {
      let child = node.children.get(segment);
      if (child === undefined) {
        child = { children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.value = value;
  }
  return root;
}

/** `member.1`, `member.2`, … (or `1`, `2`, … for a flattened list) in index order. */
function indexed(node: ParamNode): ParamNode[] {
  return [...node.children.entries()]
    .filter(([index]) => /^[1-9][0-9]*$/.test(index))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, child]) => child);
}

function decodeNode(schema: NormalizedSchema, node: ParamNode | undefined, path: string): unknown {
  if (node === undefined) return undefined;
  const traits = schema.getMergedTraits();
  if (schema.isStructSchema()) {
    const result: Record<string, unknown> = {};
    for (const [name, member] of schema.structIterator()) {
      const wireName =
        typeof member.getMergedTraits().xmlName === "string"
          ? String(member.getMergedTraits().xmlName)
          : name;
      const decoded = decodeNode(member, node.children.get(wireName), `${path}${path ? "." : ""}${wireName}`);
      if (decoded !== undefined) result[name] = decoded;
    }
    return result;
  }
  if (schema.isListSchema()) {
    // An empty list is sent as the bare name with an empty value (`AlarmNames=`).
    const items = traits.xmlFlattened
      ? indexed(node)
      : indexed(node.children.get("member") ?? { children: new Map() });
    const item = schema.getValueSchema();
    return items.map((child, index) => decodeNode(item, child, `${path}.member.${index + 1}`));
  }
  if (schema.isMapSchema()) {
    const entries = traits.xmlFlattened
      ? indexed(node)
      : indexed(node.children.get("entry") ?? { children: new Map() });
    const item = schema.getValueSchema();
    const result: Record<string, unknown> = {};
    for (const entry of entries) {
      const key = entry.children.get("key")?.value;
      if (key !== undefined) result[key] = decodeNode(item, entry.children.get("value"), `${path}.${key}`);
    }
    return result;
  }
  const text = node.value;
  if (text === undefined) return undefined;
  if (schema.isTimestampSchema()) {
    const date = /^-?[0-9]+(\.[0-9]+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
    if (Number.isNaN(date.getTime()))
      throw invalidParameterValue(`The value ${text} for parameter ${path} is invalid.`);
    return date;
  }
  if (schema.isNumericSchema()) {
    const number = Number(text);
    if (text.trim() === "" || Number.isNaN(number)) {
      throw invalidParameterValue(`The value ${text} for parameter ${path} is invalid.`);
    }
    return number;
  }
  if (schema.isBooleanSchema()) {
    if (text !== "true" && text !== "false") {
      throw invalidParameterValue(`The value ${text} for parameter ${path} is invalid.`);
    }
    return text === "true";
  }
  return text;
}

/** A Query request's parameters (form body or query string) normalised by the operation's input shape. */
export function decodeQuery(schema: NormalizedSchema, params: URLSearchParams): Record<string, unknown> {
  const decoded = decodeNode(schema, paramTree(params), "");
  return decoded !== null && typeof decoded === "object" ? (decoded as Record<string, unknown>) : {};
}

function scalarXml(schema: NormalizedSchema, value: unknown): string {
  if (schema.isTimestampSchema() && value instanceof Date) return value.toISOString();
  return xmlEscape(String(value));
}

function encodeNode(schema: NormalizedSchema, value: unknown): string {
  if (schema.isStructSchema()) {
    if (value === null || typeof value !== "object") return "";
    const record = value as Record<string, unknown>;
    let xml = "";
    for (const [name, member] of schema.structIterator()) {
      const memberValue = record[name];
      if (memberValue === undefined || memberValue === null) continue;
      const traits = member.getMergedTraits();
      const wireName = typeof traits.xmlName === "string" ? traits.xmlName : name;
      if (member.isListSchema() && traits.xmlFlattened && Array.isArray(memberValue)) {
        const item = member.getValueSchema();
        xml += memberValue
          .map((element) => `<${wireName}>${encodeNode(item, element)}</${wireName}>`)
          .join("");
      } else {
        xml += `<${wireName}>${encodeNode(member, memberValue)}</${wireName}>`;
      }
    }
    return xml;
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) return "";
    const item = schema.getValueSchema();
    const tag =
      typeof item.getMergedTraits().xmlName === "string" ? String(item.getMergedTraits().xmlName) : "member";
    return value.map((element) => `<${tag}>${encodeNode(item, element)}</${tag}>`).join("");
  }
  if (schema.isMapSchema()) {
    if (value === null || typeof value !== "object") return "";
    const item = schema.getValueSchema();
    return Object.entries(value as Record<string, unknown>)
      .map(
        ([key, element]) =>
          `<entry><key>${xmlEscape(key)}</key><value>${encodeNode(item, element)}</value></entry>`,
      )
      .join("");
  }
  return scalarXml(schema, value);
}

/**
 * An operation's output as the Query protocol answers it:
 * `<OpResponse xmlns><OpResult>…</OpResult><ResponseMetadata><RequestId/></ResponseMetadata></OpResponse>`
 * (no Result element when the operation returns nothing); lists as `<member>`, maps as `<entry>`.
 */
export function encodeQueryResponse(
  operation: string,
  schema: NormalizedSchema,
  output: unknown,
  namespace: string,
  requestId: string,
): string {
  const result = schema.isUnitSchema()
    ? ""
    : `<${operation}Result>${encodeNode(schema, output ?? {})}</${operation}Result>`;
  return (
    `<${operation}Response xmlns="${namespace}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  );
}
