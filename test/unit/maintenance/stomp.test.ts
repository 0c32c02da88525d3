import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  parseQueueAdvisory,
  parseStatisticsMap,
  StompProbe,
  stompEndpoints,
} from "../../../functions/maintenance/stomp.js";
import { FakeStompBroker } from "../../support/fake-stomp-broker.js";

describe("STOMP wire formats", () => {
  it("reads a destination advisory as ActiveMQ's jms-advisory-json renders it", () => {
    const added =
      '{"DestinationInfo":{"commandId":0,"responseRequired":false,"destination":{"@class":"ActiveMQQueue","string":"orders","null":""},"operationType":0,"timeout":0}}';
    expect(parseQueueAdvisory(added)).toEqual({ queue: "orders", added: true });
    expect(parseQueueAdvisory(added.replace('"operationType":0', '"operationType":1'))).toEqual({
      queue: "orders",
      added: false,
    });
    expect(parseQueueAdvisory('{"ConnectionInfo":{}}')).toBeUndefined();
  });

  it("reads a statistics map reply (jms-map-json), numbers only", () => {
    const body =
      '{"map":{"entry":[{"string":"storePercentUsage","int":3},{"string":"size","long":12},{"string":["ssl",""]},{"string":"brokerName","string":"x"}]}}';
    expect(parseStatisticsMap(body)).toEqual({ storePercentUsage: 3, size: 12 });
  });

  it("takes the STOMP endpoints of Amazon MQ's and the local cloud's instances, TLS where the scheme says", () => {
    expect(
      stompEndpoints([
        "ssl://b-1-1.mq.us-east-1.amazonaws.com:61617",
        "stomp+ssl://b-1-1.mq.us-east-1.amazonaws.com:61614",
        "stomp://127.0.0.1:40001",
      ]),
    ).toEqual([
      { host: "b-1-1.mq.us-east-1.amazonaws.com", port: 61614, tls: true },
      { host: "127.0.0.1", port: 40001, tls: false },
    ]);
  });
});

describe("StompProbe against a STOMP server", () => {
  let broker: FakeStompBroker;
  const login = { username: "app", password: "Correct-Horse-Battery-9" };

  beforeEach(async () => {
    broker = new FakeStompBroker({ app: login.password });
    await broker.start();
  });
  afterEach(() => broker.stop());

  it("connects to the first instance that accepts (the standby refuses), round-trips and lists queues", async () => {
    broker.queues = new Set(["orders"]);
    const probe = await StompProbe.connect(
      [
        { host: "127.0.0.1", port: 1, tls: false },
        { host: "127.0.0.1", port: broker.port, tls: false },
      ],
      login,
    );
    try {
      expect(await probe.roundTrip("mqops.maintenance.postcheck")).toBeGreaterThanOrEqual(0);
      expect(await probe.queues(100)).toEqual(["mqops.maintenance.postcheck", "orders"]);
      expect(await probe.brokerStatistics()).toEqual({ storePercentUsage: 1, size: 0 });
    } finally {
      await probe.close();
    }
  });

  it("fails the round trip when the message never comes back", async () => {
    broker.dropMessages = true;
    const probe = await StompProbe.connect([{ host: "127.0.0.1", port: broker.port, tls: false }], login);
    try {
      await expect(probe.roundTrip("q", 300)).rejects.toThrow("took longer than 300 ms");
    } finally {
      await probe.close();
    }
  });

  it("says why no instance accepted, without the password", async () => {
    const attempt = StompProbe.connect([{ host: "127.0.0.1", port: broker.port, tls: false }], {
      username: "app",
      password: "Wrong-Password-123",
    });
    await expect(attempt).rejects.toThrow("no instance accepted");
    await expect(attempt).rejects.not.toThrow("Wrong-Password-123");
  });
});
