import { describe, expect, it } from "vitest";
import { validateCreateBrokerRequest } from "../../../functions/lib/broker-request.js";
import { goodRequest } from "../../fixtures/requests.js";

const user = (overrides: Record<string, unknown>) => [
  { username: "admin", password: "Correct-Horse-Battery-9", ...overrides },
];

// Each row breaks one rule of Amazon MQ's CreateBroker; the field and the words of the error are asserted.
const BAD: [string, Record<string, unknown>, string, RegExp][] = [
  ["name with a space", { brokerName: "my broker" }, "brokerName", /letters, digits/],
  ["name of 51 characters", { brokerName: "a".repeat(51) }, "brokerName", /1-50/],
  ["missing name", { brokerName: undefined }, "brokerName", /required/],
  ["RabbitMQ engine", { engineType: "RABBITMQ" }, "engineType", /ACTIVEMQ/],
  ["engine 5.17", { engineVersion: "5.17.6" }, "engineVersion", /5\.18, 5\.19/],
  ["auto minor upgrade off", { autoMinorVersionUpgrade: false }, "autoMinorVersionUpgrade", /must be true/],
  ["unknown mode", { deploymentMode: "MULTI" }, "deploymentMode", /SINGLE_INSTANCE/],
  ["unknown instance type", { hostInstanceType: "t3.micro" }, "hostInstanceType", /mq\.m5\.large/],
  [
    "t3.micro active/standby",
    { hostInstanceType: "mq.t3.micro" },
    "hostInstanceType",
    /SINGLE_INSTANCE only/,
  ],
  ["no users", { users: [] }, "users", /at least one user/],
  ["password of 11", { users: user({ password: "Abcdefghij1" }) }, "users[0].password", /12 characters/],
  ["password of 3 unique", { users: user({ password: "abcabcabcabcabc" }) }, "users[0].password", /4 unique/],
  ["password with comma", { users: user({ password: "Correct,Horse-9" }) }, "users[0].password", /commas/],
  ["password with colon", { users: user({ password: "Correct:Horse-9" }) }, "users[0].password", /colons/],
  ["password with equals", { users: user({ password: "Correct=Horse-9" }) }, "users[0].password", /equal/],
  ["username of 1", { users: user({ username: "a" }) }, "users[0].username", /2-100/],
  ["XML not well formed", { activemqXml: "<broker><plugins></broker>" }, "activemqXml", /well-formed/],
  ["XML with beans root", { activemqXml: "<beans><broker/></beans>" }, "activemqXml", /<broker> as its root/],
  [
    "bad day",
    { maintenanceWindowStartTime: { dayOfWeek: "FUNDAY", timeOfDay: "02:00" } },
    "maintenanceWindowStartTime.dayOfWeek",
    /MONDAY/,
  ],
  [
    "bad time",
    { maintenanceWindowStartTime: { dayOfWeek: "MONDAY", timeOfDay: "25:00" } },
    "maintenanceWindowStartTime.timeOfDay",
    /HH:MM/,
  ],
  [
    "owned key with KMS key",
    { encryptionOptions: { useAwsOwnedKey: true, kmsKeyId: "alias/mq" } },
    "encryptionOptions.kmsKeyId",
    /omitted/,
  ],
  [
    "bad KMS key",
    { encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: "my key" } },
    "encryptionOptions.kmsKeyId",
    /KMS key/,
  ],
  ["one subnet for active/standby", { subnetIds: ["subnet-0123456789abcdef0"] }, "subnetIds", /exactly two/],
  [
    "two subnets for single",
    { deploymentMode: "SINGLE_INSTANCE", subnetIds: ["subnet-01234567", "subnet-89abcdef"] },
    "subnetIds",
    /at most one/,
  ],
  ["bad subnet id", { subnetIds: ["net-1", "net-2"] }, "subnetIds[0]", /subnet id/],
  ["aws: tag", { tags: { "aws:owner": "me" } }, "tags.aws:owner", /aws:/],
  ["public as a string", { publiclyAccessible: "yes" }, "publiclyAccessible", /boolean/],
  ["unknown field", { brokerNmae: "typo" }, "brokerNmae", /not a known field/],
];

describe("validateCreateBrokerRequest", () => {
  it.each(BAD)("rejects %s with a message on its field", (_label, overrides, field, message) => {
    const result = validateCreateBrokerRequest(goodRequest(overrides));

    expect(result.ok).toBe(false);
    const issue = result.ok ? undefined : result.issues.find((i) => i.field === field);
    expect(issue?.message).toMatch(message);
  });

  it("accepts a good request and applies Amazon MQ's defaults, private unless asked", () => {
    const result = validateCreateBrokerRequest(goodRequest({ engineVersion: "5.18.4" }));

    expect(result.ok && result.request).toMatchObject({
      engineVersion: "5.18",
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      encryptionOptions: { useAwsOwnedKey: true },
    });
  });

  it("accepts each deployment mode with subnets that fit it", () => {
    const modes: [string, string[], string][] = [
      ["SINGLE_INSTANCE", ["subnet-01234567"], "mq.t3.micro"],
      ["ACTIVE_STANDBY_MULTI_AZ", ["subnet-01234567", "subnet-89abcdef"], "mq.m5.large"],
      ["CLUSTER_MULTI_AZ", [], "mq.m5.large"],
    ];
    for (const [deploymentMode, subnetIds, hostInstanceType] of modes) {
      expect(
        validateCreateBrokerRequest(goodRequest({ deploymentMode, subnetIds, hostInstanceType })).ok,
      ).toBe(true);
    }
  });

  it("lists every problem at once", () => {
    const result = validateCreateBrokerRequest(
      goodRequest({ brokerName: "a b", engineVersion: "4.0", users: [] }),
    );

    expect(result.ok ? [] : result.issues.map((i) => i.field).sort()).toEqual([
      "brokerName",
      "engineVersion",
      "users",
    ]);
  });

  it("never echoes a password in an error", () => {
    const result = validateCreateBrokerRequest(goodRequest({ users: user({ password: "Secret,Value-42" }) }));

    expect(JSON.stringify(result)).not.toContain("Secret,Value-42");
  });
});
