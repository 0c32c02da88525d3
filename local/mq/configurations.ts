import { randomUUID } from "node:crypto";
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { MAX_XML_DEPTH, parseOrIssue, unsafeXmlIssue } from "../../functions/lib/activemq-xml.js";
import {
  ENGINE_TYPE,
  MAX_REVISIONS_PER_CONFIGURATION,
  PERMITTED_BROKER_ATTRIBUTES,
  PERMITTED_BROKER_CHILDREN,
  SanitizationWarningReason,
} from "../../functions/lib/amazon-mq.js";
import { LOCAL_ACCOUNT } from "../server/service.js";
import type { MqContext } from "./context.js";
import {
  BadRequestException,
  ConfigurationInUse,
  InvalidParameter,
  UnknownConfiguration,
  UnknownRevision,
} from "./exceptions.js";
import { page } from "./pagination.js";
import type { OperationCall } from "./router.js";
import type { ConfigurationRecord, RevisionRecord } from "./state.js";
import * as validate from "./validation.js";

/**
 * Amazon MQ's default ActiveMQ configuration, as CreateConfiguration's first revision has it:
 * destination policies that garbage-collect inactive destinations and bound a slow topic
 * consumer's pending messages.
 */
export const DEFAULT_CONFIGURATION_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<broker schedulePeriodForDestinationPurge="10000" xmlns="http://activemq.apache.org/schema/core">
  <destinationPolicy>
    <policyMap>
      <policyEntries>
        <policyEntry gcInactiveDestinations="true" inactiveTimoutBeforeGC="600000" topic="&gt;">
          <pendingMessageLimitStrategy>
            <constantPendingMessageLimitStrategy limit="1000"/>
          </pendingMessageLimitStrategy>
        </policyEntry>
        <policyEntry gcInactiveDestinations="true" inactiveTimoutBeforeGC="600000" queue="&gt;"/>
      </policyEntries>
    </policyMap>
  </destinationPolicy>
  <plugins>
  </plugins>
</broker>
`;

type XmlNode = Record<string, unknown>;
const XML_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  commentPropName: "#comment",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  allowBooleanAttributes: true,
  maxNestedTags: MAX_XML_DEPTH,
} as const;

const elementName = (node: XmlNode) =>
  Object.keys(node).find((key) => !key.startsWith("#") && key !== ":@" && !key.startsWith("?"));
const localName = (name: string) => name.slice(name.indexOf(":") + 1);

export interface SanitizationWarning {
  elementName: string;
  attributeName?: string;
  reason: SanitizationWarningReason;
}

/** Namespace declarations and schema locations are kept on `<broker>` whatever its attributes. */
const isNamespaceAttribute = (name: string) => name === "xmlns" || /^(xmlns|xsi):/.test(name);

/**
 * Checks a revision's XML as UpdateConfiguration does: not well-formed or not rooted at `<broker>`
 * is a BadRequestException; children and attributes of `<broker>` Amazon MQ does not permit are
 * removed and reported.
 */
export function sanitizeConfiguration(xml: string): { xml: string; warnings: SanitizationWarning[] } {
  // A DOCTYPE, entity or XInclude is refused before any parser reads the text: nothing is resolved.
  const unsafe = unsafeXmlIssue(xml);
  if (unsafe !== undefined) throw new InvalidParameter("data", `${unsafe}`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new InvalidParameter(
      "data",
      `is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    );
  }
  const parsed = parseOrIssue(() => new XMLParser(XML_OPTIONS).parse(xml) as XmlNode[]);
  if (!parsed.ok) throw new InvalidParameter("data", `${parsed.issue}`);
  const nodes = parsed.value;
  const root = nodes.find((node) => elementName(node) !== undefined);
  const rootName = root === undefined ? undefined : elementName(root);
  if (root === undefined || rootName === undefined || localName(rootName) !== "broker") {
    throw new InvalidParameter(
      "data",
      `must have <broker> as its root element; found <${rootName ?? "nothing"}>`,
    );
  }
  const warnings: SanitizationWarning[] = [];
  const attributes = (root[":@"] as Record<string, string> | undefined) ?? {};
  for (const key of Object.keys(attributes)) {
    const name = key.slice("@_".length);
    if (isNamespaceAttribute(name) || PERMITTED_BROKER_ATTRIBUTES.has(name)) continue;
    warnings.push({
      elementName: "broker",
      attributeName: name,
      reason: SanitizationWarningReason.DISALLOWED_ATTRIBUTE_REMOVED,
    });
    delete attributes[key];
  }
  const children = (root[rootName] as XmlNode[] | undefined) ?? [];
  const kept: XmlNode[] = [];
  for (const child of children) {
    const name = elementName(child);
    if (name !== undefined && !PERMITTED_BROKER_CHILDREN.has(localName(name))) {
      warnings.push({
        elementName: localName(name),
        reason: SanitizationWarningReason.DISALLOWED_ELEMENT_REMOVED,
      });
      // The indentation before the removed element goes with it.
      const previous = kept.at(-1);
      if (
        previous !== undefined &&
        typeof previous["#text"] === "string" &&
        previous["#text"].trim() === ""
      ) {
        kept.pop();
      }
      continue;
    }
    kept.push(child);
  }
  if (warnings.length === 0) return { xml, warnings };
  root[rootName] = kept;
  return {
    xml: new XMLBuilder({ ...XML_OPTIONS, suppressEmptyNode: true }).build(nodes) as string,
    warnings,
  };
}

const revisionSummary = (revision: RevisionRecord) => ({
  created: revision.created,
  revision: revision.revision,
  description: revision.description,
});

const latest = (configuration: ConfigurationRecord): RevisionRecord => {
  const revision = configuration.revisions.at(-1);
  if (revision === undefined) throw new Error(`configuration ${configuration.id} has no revision`);
  return revision;
};

function describe(configuration: ConfigurationRecord) {
  return {
    arn: configuration.arn,
    authenticationStrategy: configuration.authenticationStrategy,
    created: configuration.created,
    description: latest(configuration).description,
    engineType: ENGINE_TYPE,
    engineVersion: configuration.engineVersion,
    id: configuration.id,
    latestRevision: revisionSummary(latest(configuration)),
    name: configuration.name,
    tags: configuration.tags,
  };
}

export function findConfiguration(context: MqContext, id: string, attribute = "configuration-id") {
  // Own keys only: `__proto__` or `constructor` in a path is an unknown configuration.
  const configuration = Object.hasOwn(context.state.configurations, id)
    ? context.state.configurations[id]
    : undefined;
  if (configuration === undefined) throw new UnknownConfiguration(id, attribute);
  return configuration;
}

export function findRevision(
  configuration: ConfigurationRecord,
  revision: number,
  attribute = "configuration-revision",
): RevisionRecord {
  const found = configuration.revisions.find((candidate) => candidate.revision === revision);
  if (found === undefined) {
    throw new UnknownRevision(configuration.id, revision, attribute);
  }
  return found;
}

/** A revision's `<broker>` XML, decoded: what the runtime is started with. */
export const revisionXml = (revision: RevisionRecord) =>
  Buffer.from(revision.data, "base64").toString("utf8");

/** Creates a configuration whose first revision is the default; CreateBroker uses it too. */
export function addConfiguration(
  context: MqContext,
  input: {
    name: string;
    engineVersion: string;
    region: string;
    tags: Record<string, string>;
    authenticationStrategy?: "SIMPLE" | "LDAP";
  },
): ConfigurationRecord {
  const id = `c-${randomUUID()}`;
  const created = new Date().toISOString();
  const configuration: ConfigurationRecord = {
    id,
    arn: `arn:aws:mq:${input.region}:${LOCAL_ACCOUNT}:configuration:${id}`,
    name: input.name,
    created,
    engineVersion: input.engineVersion,
    authenticationStrategy: input.authenticationStrategy ?? "SIMPLE",
    tags: input.tags,
    revisions: [
      {
        revision: 1,
        created,
        description: `Auto-generated default for ${input.name} on ActiveMQ ${input.engineVersion}`,
        data: Buffer.from(DEFAULT_CONFIGURATION_XML).toString("base64"),
      },
    ],
  };
  context.state.configurations[id] = configuration;
  return configuration;
}

function revisionNumber(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidParameter(
      "configuration-revision",
      `must be a positive integer; got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

export function configurationOperations(context: MqContext) {
  return {
    CreateConfiguration({ body, request }: OperationCall) {
      validate.engineType(body.string("engineType"));
      const name = validate.configurationName(body.requiredString("name"));
      const authenticationStrategy = validate.authenticationStrategy(body.string("authenticationStrategy"));
      const configuration = addConfiguration(context, {
        name,
        authenticationStrategy,
        engineVersion: validate.engineVersion(body.string("engineVersion")),
        region: request.region,
        tags: validate.tags(body.stringMap("tags")),
      });
      context.save();
      return {
        arn: configuration.arn,
        authenticationStrategy: configuration.authenticationStrategy,
        created: configuration.created,
        id: configuration.id,
        latestRevision: revisionSummary(latest(configuration)),
        name: configuration.name,
      };
    },

    UpdateConfiguration({ body, params }: OperationCall) {
      const configuration = findConfiguration(context, params.configurationId ?? "");
      const decoded = validate.base64Data(body.requiredString("data"));
      const description = body.string("description");
      if (description !== undefined && description.length > 4000) {
        throw new InvalidParameter("description", "must be at most 4000 characters");
      }
      if (configuration.revisions.length >= MAX_REVISIONS_PER_CONFIGURATION) {
        throw new BadRequestException(
          `Configuration ${configuration.id} already has ${MAX_REVISIONS_PER_CONFIGURATION} revisions, the most Amazon MQ allows.`,
          "configuration-id",
        );
      }
      const { xml, warnings } = sanitizeConfiguration(decoded);
      const revision: RevisionRecord = {
        revision: latest(configuration).revision + 1,
        created: new Date().toISOString(),
        description: description ?? "",
        data: Buffer.from(xml).toString("base64"),
      };
      configuration.revisions.push(revision);
      context.save();
      return {
        arn: configuration.arn,
        created: configuration.created,
        id: configuration.id,
        latestRevision: revisionSummary(revision),
        name: configuration.name,
        warnings,
      };
    },

    DescribeConfiguration({ params }: OperationCall) {
      return describe(findConfiguration(context, params.configurationId ?? ""));
    },

    DescribeConfigurationRevision({ params }: OperationCall) {
      const configuration = findConfiguration(context, params.configurationId ?? "");
      const revision = findRevision(configuration, revisionNumber(params.configurationRevision ?? ""));
      return {
        configurationId: configuration.id,
        created: revision.created,
        data: revision.data,
        description: revision.description,
      };
    },

    ListConfigurations({ request }: OperationCall) {
      const limit = validate.maxResults(request.query);
      const { items, nextToken } = page(
        Object.values(context.state.configurations),
        (configuration) => `${configuration.created}/${configuration.id}`,
        limit,
        request.query.get("nextToken"),
      );
      return { configurations: items.map(describe), maxResults: limit, ...(nextToken ? { nextToken } : {}) };
    },

    ListConfigurationRevisions({ params, request }: OperationCall) {
      const configuration = findConfiguration(context, params.configurationId ?? "");
      const limit = validate.maxResults(request.query);
      const { items, nextToken } = page(
        configuration.revisions,
        (revision) => String(revision.revision).padStart(10, "0"),
        limit,
        request.query.get("nextToken"),
      );
      return {
        configurationId: configuration.id,
        maxResults: limit,
        revisions: items.map(revisionSummary),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    DeleteConfiguration({ params }: OperationCall) {
      const configuration = findConfiguration(context, params.configurationId ?? "");
      const user = Object.values(context.state.brokers).find(
        (broker) =>
          broker.configuration.current.id === configuration.id ||
          broker.configuration.pending?.id === configuration.id,
      );
      if (user !== undefined) {
        throw new ConfigurationInUse(configuration.id, user.id);
      }
      delete context.state.configurations[configuration.id];
      context.save();
      return { configurationId: configuration.id };
    },
  };
}
