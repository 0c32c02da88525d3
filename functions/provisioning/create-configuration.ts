import {
  type Configuration,
  CreateConfigurationCommand,
  ListConfigurationsCommand,
  UpdateConfigurationCommand,
} from "@aws-sdk/client-mq";
import { callAws } from "../lib/aws-errors.js";
import { carriedBrokerSpecSchema } from "../lib/broker-spec.js";
import { mq } from "../lib/clients.js";
import { workflowStep } from "../lib/middleware.js";
import { pages } from "../lib/pages.js";
import { TAG_CLIENT_TOKEN } from "../lib/state-table.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";

const inputSchema = z.object({ ...stepBase, request: carriedBrokerSpecSchema, clientToken: z.string() });

/** A configuration this request created before (a retried step must not create a second one). */
async function findOwnConfiguration(clientToken: string): Promise<Configuration | undefined> {
  const all = pages("ListConfigurations", (NextToken) =>
    mq.send(new ListConfigurationsCommand({ MaxResults: 100, NextToken })),
  );
  for await (const page of all) {
    const own = page.Configurations?.find((c) => c.Tags?.[TAG_CLIENT_TOKEN] === clientToken);
    if (own !== undefined) return own;
  }
  return undefined;
}

/** Creates the broker's configuration and, when the request has activemq.xml, a revision with it. */
export const createConfiguration = async ({ request, clientToken }: z.infer<typeof inputSchema>) => {
  const existing = await findOwnConfiguration(clientToken);
  const created =
    existing ??
    (await callAws("CreateConfiguration", () =>
      mq.send(
        new CreateConfigurationCommand({
          Name: `${request.brokerName}-configuration`,
          EngineType: "ACTIVEMQ",
          EngineVersion: request.engineVersion,
          // The configuration's strategy is the broker's: LDAP brokers take LDAP configurations.
          AuthenticationStrategy: request.authenticationStrategy,
          Tags: { ...request.tags, [TAG_CLIENT_TOKEN]: clientToken },
        }),
      ),
    ));
  const { Id: configurationId, Arn: configurationArn } = created;
  if (configurationId === undefined || configurationArn === undefined) {
    throw new Error("CreateConfiguration returned no configuration id");
  }
  const latest = created.LatestRevision?.Revision ?? 1;
  if (request.activemqXml === undefined) {
    return { configurationId, configurationArn, revision: latest, warnings: [] };
  }
  const xml = request.activemqXml;
  const updated = await callAws("UpdateConfiguration", () =>
    mq.send(
      new UpdateConfigurationCommand({
        ConfigurationId: configurationId,
        Data: Buffer.from(xml, "utf8").toString("base64"),
        Description: `activemq.xml for ${request.brokerName}, from provisioning ${clientToken}`,
      }),
    ),
  );
  const warnings = (updated.Warnings ?? []).map(
    (w) =>
      `${w.Reason ?? "SANITIZED"}: ${w.ElementName ?? ""}${w.AttributeName ? `@${w.AttributeName}` : ""}`,
  );
  return {
    configurationId,
    configurationArn,
    revision: updated.LatestRevision?.Revision ?? latest,
    warnings,
  };
};

export const handler = workflowStep(inputSchema, createConfiguration);
