import { BadRequestException, CreateBrokerCommand, UpdateBrokerCommand } from "@aws-sdk/client-mq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateCreateBrokerRequest } from "../../../functions/lib/broker-request.js";
import { isMaintenanceTimeZone } from "../../../functions/lib/time-zone.js";
import { goodRequest } from "../../fixtures/requests.js";
import { brokerRequest, type Mq, startMq } from "../local/mq/harness.js";

const ACCEPTED = [
  "UTC",
  "Europe/Paris",
  "America/New_York",
  "America/Argentina/Buenos_Aires",
  "Asia/Kolkata",
  "Asia/Calcutta",
  "Asia/Kathmandu",
  "Pacific/Chatham",
  "UTC+05:30",
  "UTC-08:00",
  "+05:45",
  "-12:00",
  "UTC+14:00",
];
const REFUSED = [
  "",
  " ",
  "utc",
  "Mars/Olympus_Mons",
  "Europe/Atlantis",
  "europe/paris",
  "EST",
  "CET",
  "GMT",
  "Etc/GMT+5",
  "UTC+5",
  "UTC+05:07",
  "UTC+15:00",
  "UTC-13:00",
  "+14:30",
  "Europe/Paris ",
  "Europe/Paris\u0000",
  "../../etc/passwd",
];

describe("isMaintenanceTimeZone", () => {
  it.each(ACCEPTED)("accepts %j", (zone) => {
    expect(isMaintenanceTimeZone(zone)).toBe(true);
  });

  it.each(REFUSED)("refuses %j", (zone) => {
    expect(isMaintenanceTimeZone(zone)).toBe(false);
  });

  it("accepts every IANA zone this runtime lists", () => {
    const refused = Intl.supportedValuesOf("timeZone").filter((zone) => !isMaintenanceTimeZone(zone));

    expect(refused).toEqual([]);
  });
});

const window = (timeZone: string) => ({ dayOfWeek: "SUNDAY", timeOfDay: "03:00", timeZone });

describe("POST /brokers maintenanceWindowStartTime.timeZone", () => {
  it("answers an unknown zone with an issue naming the field", () => {
    const result = validateCreateBrokerRequest(
      goodRequest({ maintenanceWindowStartTime: window("Mars/Olympus_Mons") }),
    );

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      { field: "maintenanceWindowStartTime.timeZone", message: expect.stringMatching(/IANA/) },
    ]);
  });

  it("keeps an accepted zone as given, and UTC when omitted", () => {
    const given = validateCreateBrokerRequest(
      goodRequest({ maintenanceWindowStartTime: window("Asia/Kolkata") }),
    );
    const omitted = validateCreateBrokerRequest(
      goodRequest({ maintenanceWindowStartTime: { dayOfWeek: "SUNDAY", timeOfDay: "03:00" } }),
    );

    expect(given.ok && given.request.maintenanceWindowStartTime?.timeZone).toBe("Asia/Kolkata");
    expect(omitted.ok && omitted.request.maintenanceWindowStartTime?.timeZone).toBe("UTC");
  });
});

describe("the local Amazon MQ's MaintenanceWindowStartTime.TimeZone", () => {
  let mq: Mq;
  beforeAll(async () => {
    mq = await startMq();
  });
  afterAll(async () => {
    await mq.close();
  });

  it("answers CreateBroker with an unknown zone with BadRequestException naming the member", async () => {
    const sent = mq.client.send(
      new CreateBrokerCommand(
        brokerRequest({
          MaintenanceWindowStartTime: {
            DayOfWeek: "SUNDAY",
            TimeOfDay: "03:00",
            TimeZone: "Mars/Olympus_Mons",
          },
        }),
      ),
    );

    await expect(sent).rejects.toBeInstanceOf(BadRequestException);
    await expect(sent).rejects.toMatchObject({ ErrorAttribute: "maintenanceWindowStartTime.timeZone" });
  });

  it("answers UpdateBroker with an unknown zone the same way, and takes a UTC offset", async () => {
    const brokerId = await mq.createBroker();

    const refused = mq.client.send(
      new UpdateBrokerCommand({
        BrokerId: brokerId,
        MaintenanceWindowStartTime: { DayOfWeek: "MONDAY", TimeOfDay: "01:00", TimeZone: "UTC+25:00" },
      }),
    );
    await expect(refused).rejects.toMatchObject({ ErrorAttribute: "maintenanceWindowStartTime.timeZone" });
    const accepted = await mq.client.send(
      new UpdateBrokerCommand({
        BrokerId: brokerId,
        MaintenanceWindowStartTime: { DayOfWeek: "MONDAY", TimeOfDay: "01:00", TimeZone: "UTC+05:30" },
      }),
    );

    expect(accepted.MaintenanceWindowStartTime?.TimeZone).toBe("UTC+05:30");
  });
});
