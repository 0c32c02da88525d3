import { XMLParser, XMLValidator } from "fast-xml-parser";
import { PERMITTED_BROKER_CHILDREN } from "./amazon-mq.js";
import { errorMessage } from "./error-message.js";

/**
 * Amazon MQ documents no size for a revision's XML. mqops takes at most this many characters (about
 * 1 MB; real configurations are a few KB) so that parsing a request stays bounded, and the API
 * Gateway payload (10 MB) and the Lambda invocation payload (6 MB) are never the limit a user meets.
 */
export const MAX_CONFIGURATION_XML_CHARS = 1_000_000;

/** Elements nested deeper than this are refused (fast-xml-parser's own guard, named so we can say it). */
export const MAX_XML_DEPTH = 100;

/** The only entity references a configuration may hold: XML's five predefined ones and character references. */
const ALLOWED_REFERENCE = /^&(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9A-Fa-f]{1,6});/;

/** Comments and CDATA sections: text in them is never parsed as markup or references. */
const INERT_SECTIONS = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g;

/**
 * Why `xml` must not be read at all, or undefined. No DOCTYPE, entity declaration, entity reference
 * (other than the predefined ones) or XInclude is ever resolved anywhere: a DOCTYPE can declare
 * external entities (`SYSTEM "file:///etc/passwd"`) or exponential ones (billion laughs), and Amazon MQ
 * configurations never need one. Checked before any parser sees the text. Pure.
 */
export function unsafeXmlIssue(xml: string): string | undefined {
  if (xml.length > MAX_CONFIGURATION_XML_CHARS) {
    return `must be at most ${MAX_CONFIGURATION_XML_CHARS} characters (${xml.length} given)`;
  }
  const markup = xml.replace(INERT_SECTIONS, "");
  if (/<!DOCTYPE/i.test(markup)) return "must not contain a DOCTYPE declaration";
  if (/<!(?:ENTITY|ELEMENT|ATTLIST|NOTATION)/i.test(markup)) return "must not declare entities or a DTD";
  if (/<(?:[A-Za-z_][\w.-]*:)?include[\s/>]/.test(markup) && /XInclude/i.test(markup)) {
    return "must not use XInclude";
  }
  for (let index = markup.indexOf("&"); index !== -1; index = markup.indexOf("&", index + 1)) {
    if (!ALLOWED_REFERENCE.test(markup.slice(index, index + 12))) {
      const reference = /^&[^\s;<&]{0,40};?/.exec(markup.slice(index))?.[0] ?? "&";
      return `must not refer to entity ${JSON.stringify(reference)}: only &amp; &lt; &gt; &quot; &apos; and character references are allowed`;
    }
  }
  return undefined;
}

/**
 * Parses with `parse` after {@link unsafeXmlIssue} has passed; a parser failure (too deep, malformed
 * in a way the validator let through) becomes a message instead of an exception.
 */
export function parseOrIssue<T>(parse: () => T): { ok: true; value: T } | { ok: false; issue: string } {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    const message = errorMessage(error);
    return {
      ok: false,
      issue: /nested/i.test(message)
        ? `must not nest elements more than ${MAX_XML_DEPTH} deep`
        : `could not be read: ${message}`,
    };
  }
}

export interface XmlCheck {
  /** Problems that make the configuration unusable. */
  errors: string[];
  /** What Amazon MQ would strip from it (the configuration is still accepted). */
  warnings: string[];
}

type OrderedNode = Record<string, unknown>;

// processEntities off: even the predefined entities need not be decoded to read element names.
// `@__PURE__`: a bundle that takes only the limits above drops the parser (and fast-xml-parser).
const parser = /* @__PURE__ */ new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  processEntities: false,
  maxNestedTags: MAX_XML_DEPTH,
});

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => !key.startsWith("#") && key !== ":@" && !key.startsWith("?"));
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Checks an activemq.xml body the way Amazon MQ's CreateConfiguration/UpdateConfiguration would. */
export function checkActiveMqXml(xml: string): XmlCheck {
  const unsafe = unsafeXmlIssue(xml);
  if (unsafe !== undefined) return { errors: [unsafe], warnings: [] };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    return {
      errors: [`is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`],
      warnings: [],
    };
  }
  const parsed = parseOrIssue(() => parser.parse(xml) as OrderedNode[]);
  if (!parsed.ok) return { errors: [parsed.issue], warnings: [] };
  const nodes = parsed.value;
  const roots = nodes.filter((node) => elementName(node) !== undefined);
  const root = roots[0];
  const rootName = root === undefined ? undefined : elementName(root);
  if (root === undefined || rootName === undefined || localName(rootName) !== "broker") {
    return {
      errors: [`must have <broker> as its root element, found <${rootName ?? "nothing"}>`],
      warnings: [],
    };
  }
  const children = (root[rootName] as OrderedNode[] | undefined) ?? [];
  const warnings = children
    .map(elementName)
    .filter((name): name is string => name !== undefined && !PERMITTED_BROKER_CHILDREN.has(localName(name)))
    .map(
      (name) => `<${localName(name)}> is not permitted in an Amazon MQ configuration and would be removed`,
    );
  return { errors: [], warnings: [...new Set(warnings)] };
}
