import { XMLParser, XMLValidator } from "fast-xml-parser";

/**
 * Child elements of `<broker>` that Amazon MQ keeps in an ActiveMQ configuration; it removes any
 * other (Amazon MQ developer guide, "Elements permitted in Amazon MQ for ActiveMQ configurations").
 */
export const PERMITTED_BROKER_CHILDREN = new Set([
  "destinationInterceptors",
  "destinationPolicy",
  "destinations",
  "networkConnectors",
  "persistenceAdapter",
  "plugins",
  "systemUsage",
  "transportConnectors",
]);

export interface XmlCheck {
  /** Problems that make the configuration unusable. */
  errors: string[];
  /** What Amazon MQ would strip from it (the configuration is still accepted). */
  warnings: string[];
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: true, ignoreDeclaration: true });

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => !key.startsWith("#") && key !== ":@" && !key.startsWith("?"));
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Checks an activemq.xml body the way Amazon MQ's CreateConfiguration/UpdateConfiguration would. */
export function checkActiveMqXml(xml: string): XmlCheck {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    return {
      errors: [`is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`],
      warnings: [],
    };
  }
  const nodes = parser.parse(xml) as OrderedNode[];
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
