import { describe, expect, it } from "vitest";
import { isStompReply, isWireFormatInfo, probeTarget } from "../../../functions/failover/handshake.js";

describe("probeTarget", () => {
  it("prefers OpenWire over TLS as Amazon MQ lists it", () => {
    expect(
      probeTarget(2, [
        "stomp+ssl://b-1-2.mq.us-east-1.amazonaws.com:61614",
        "ssl://b-1-2.mq.us-east-1.amazonaws.com:61617",
      ]),
    ).toEqual({
      instance: 2,
      endpoint: "ssl://b-1-2.mq.us-east-1.amazonaws.com:61617",
      protocol: "openwire",
      host: "b-1-2.mq.us-east-1.amazonaws.com",
      port: 61617,
      tls: true,
    });
  });

  it("falls back to STOMP and ignores protocols it cannot probe", () => {
    expect(probeTarget(1, ["amqp+ssl://h:5671", "stomp://127.0.0.1:61613"])).toMatchObject({
      protocol: "stomp",
      port: 61613,
      tls: false,
    });
    expect(probeTarget(1, ["amqp+ssl://h:5671", "wss://h:61619"])).toBeUndefined();
  });
});

describe("handshake replies", () => {
  const wireFormat = Buffer.concat([Buffer.from([0, 0, 1, 0, 1]), Buffer.from("ActiveMQ"), Buffer.alloc(4)]);

  it.each([
    ["a WireFormatInfo frame", wireFormat, true],
    ["too few bytes yet", wireFormat.subarray(0, 9), undefined],
    ["another frame type", Buffer.concat([Buffer.from([0, 0, 1, 0, 2]), Buffer.from("ActiveMQ")]), false],
    ["an HTTP answer", Buffer.from("HTTP/1.1 400 Bad Request\\r\\n"), false],
  ])("OpenWire: %s → %s", (_name, bytes, verdict) => {
    expect(isWireFormatInfo(bytes)).toBe(verdict);
  });

  it.each([
    ["CONNECTED", "CONNECTED\nversion:1.2\n\n\0", true],
    ["ERROR (login refused: still a broker speaking STOMP)", "ERROR\nmessage:User name invalid\n\n\0", true],
    ["a partial line", "CONNE", undefined],
    ["something else", "SSH-2.0-OpenSSH_9.2\r\n", false],
  ])("STOMP: %s → %s", (_name, text, verdict) => {
    expect(isStompReply(Buffer.from(text))).toBe(verdict);
  });
});
