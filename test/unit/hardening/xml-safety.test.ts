import {
  BadRequestException,
  CreateConfigurationCommand,
  UpdateConfigurationCommand,
} from "@aws-sdk/client-mq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkActiveMqXml,
  MAX_CONFIGURATION_XML_CHARS,
  unsafeXmlIssue,
} from "../../../functions/lib/activemq-xml.js";
import { MAX_REVISIONS_PER_CONFIGURATION } from "../../../functions/lib/amazon-mq.js";
import { validateCreateBrokerRequest } from "../../../functions/lib/broker-request.js";
import { BrokerConfigurationError } from "../../../local/brokers/errors.js";
import { instanceLayout } from "../../../local/brokers/layout.js";
import { renderActiveMqXml } from "../../../local/brokers/render.js";
import { sanitizeConfiguration } from "../../../local/mq/configurations.js";
import { AwsServiceError } from "../../../local/server/aws-error.js";
import { goodRequest } from "../../fixtures/requests.js";
import { type Mq, startMq } from "../local/mq/harness.js";

const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE broker [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<broker xmlns="http://activemq.apache.org/schema/core"><destinations>&x;</destinations></broker>`;
const BILLION_LAUGHS = `<!DOCTYPE broker [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><broker>&b;</broker>`;
const INTERNAL_DTD = `<!DOCTYPE broker><broker/>`;
const UNDECLARED_ENTITY = `<broker><destinations><queue physicalName="&secret;"/></destinations></broker>`;
const XINCLUDE = `<broker xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd"/></broker>`;

const REFUSED = { EXTERNAL_ENTITY, BILLION_LAUGHS, INTERNAL_DTD, UNDECLARED_ENTITY, XINCLUDE };

const base64 = (xml: string) => Buffer.from(xml).toString("base64");

describe("unsafeXmlIssue", () => {
  it.each(Object.entries(REFUSED))("refuses %s before any parser reads it", (_name, xml) => {
    expect(unsafeXmlIssue(xml)).toMatch(/must not/);
  });

  it("allows the predefined entities, character references, and DOCTYPE text inside comments and CDATA", () => {
    const xml = `<broker><!-- <!DOCTYPE x> &nope; --><destinations><queue physicalName="a&amp;b&#65;&#x42;&lt;&gt;&quot;&apos;"/></destinations><![CDATA[<!ENTITY y "z"> &x;]]></broker>`;

    expect(unsafeXmlIssue(xml)).toBeUndefined();
    expect(checkActiveMqXml(xml).errors).toEqual([]);
  });

  it("refuses a document longer than the limit", () => {
    const xml = `<broker>${" ".repeat(MAX_CONFIGURATION_XML_CHARS)}</broker>`;

    expect(unsafeXmlIssue(xml)).toMatch(/at most 1000000 characters/);
  });
});

describe("the API's check (POST /brokers activemqXml)", () => {
  it.each(Object.entries(REFUSED))("answers %s with an issue naming activemqXml", (_name, xml) => {
    const result = validateCreateBrokerRequest(goodRequest({ activemqXml: xml }));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.field)).toEqual(["activemqXml"]);
  });

  it("answers elements nested too deep with an issue, not an exception", () => {
    const xml = `<broker>${"<a>".repeat(500)}${"</a>".repeat(500)}</broker>`;

    expect(checkActiveMqXml(xml).errors).toEqual(["must not nest elements more than 100 deep"]);
  });
});

describe("the local control plane's sanitiser", () => {
  it.each(Object.entries(REFUSED))("answers %s with a BadRequestException on data", (_name, xml) => {
    const thrown = (() => {
      try {
        sanitizeConfiguration(xml);
      } catch (error) {
        return error;
      }
      return undefined;
    })();

    expect(thrown).toBeInstanceOf(AwsServiceError);
    expect(thrown).toMatchObject({ code: "BadRequestException", status: 400, attribute: "data" });
  });
});

describe("the rendered activemq.xml", () => {
  const layout = instanceLayout("/var/tmp/mqops-test", "b-1", "SINGLE_INSTANCE", 0);
  const spec = (configurationXml: string) => ({
    brokerId: "b-1",
    brokerName: "orders",
    deploymentMode: "SINGLE_INSTANCE" as const,
    configurationXml,
    users: [{ username: "app", password: "app-password-1" }],
    ports: [{ openwire: 41000, stomp: 41001 }],
  });

  it.each(Object.entries(REFUSED))("is never rendered from %s", (_name, xml) => {
    expect(() => renderActiveMqXml(spec(xml), { instanceIndex: 0, layout })).toThrow(
      BrokerConfigurationError,
    );
  });

  it("holds no DOCTYPE or entity declaration, whatever the configuration's text", () => {
    const xml = renderActiveMqXml(
      spec(
        `<broker><destinations><queue physicalName="&lt;!DOCTYPE x&gt; &amp;x;"/></destinations></broker>`,
      ),
      { instanceIndex: 0, layout },
    );

    expect(xml).not.toMatch(/<!DOCTYPE|<!ENTITY/i);
    expect(xml).toContain('physicalName="&lt;!DOCTYPE x&gt; &amp;x;"');
  });
});

describe("UpdateConfiguration on the local Amazon MQ", () => {
  let mq: Mq;
  let configurationId: string;
  beforeAll(async () => {
    mq = await startMq();
    const created = await mq.client.send(
      new CreateConfigurationCommand({ EngineType: "ACTIVEMQ", EngineVersion: "5.18", Name: "hardening" }),
    );
    configurationId = created.Id ?? "";
  });
  afterAll(async () => {
    await mq.close();
  });

  it("answers a DOCTYPE with an external entity with BadRequestException naming data", async () => {
    const sent = mq.client.send(
      new UpdateConfigurationCommand({ ConfigurationId: configurationId, Data: base64(EXTERNAL_ENTITY) }),
    );

    await expect(sent).rejects.toBeInstanceOf(BadRequestException);
    await expect(sent).rejects.toMatchObject({ ErrorAttribute: "data" });
  });

  it(`refuses a revision beyond the ${MAX_REVISIONS_PER_CONFIGURATION} Amazon MQ allows`, async () => {
    const configuration = configurationId;
    const data = base64("<broker><destinations/></broker>");
    for (let revision = 2; revision <= MAX_REVISIONS_PER_CONFIGURATION; revision += 1) {
      await mq.client.send(new UpdateConfigurationCommand({ ConfigurationId: configuration, Data: data }));
    }

    const sent = mq.client.send(
      new UpdateConfigurationCommand({ ConfigurationId: configuration, Data: data }),
    );

    await expect(sent).rejects.toBeInstanceOf(BadRequestException);
  });
});
