import { describe, expect, it } from "vitest";
import { compilePattern, InvalidEventPatternError } from "../../../../local/events/pattern/compile.js";
import { matchesPattern } from "../../../../local/events/pattern/match.js";

const event = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "CloudWatch Alarm State Change",
  source: "aws.cloudwatch",
  account: "000000000000",
  time: "2026-11-30T12:00:00Z",
  region: "us-east-1",
  resources: ["arn:aws:cloudwatch:us-east-1:000000000000:alarm:mqops-local-scale-out-orders"],
  detail: {
    alarmName: "mqops-local-scale-out-orders",
    state: { value: "ALARM", reason: "Threshold Crossed" },
    previousState: { value: "OK" },
    count: 5,
    ratio: 0.75,
    nothing: null,
    enabled: true,
    empty: "",
    tags: ["blue", "green"],
    instances: [
      { id: "b-1", role: "ACTIVE" },
      { id: "b-2", role: "STANDBY" },
    ],
    path: "C:\\mq\\*data",
    sourceIp: "10.0.0.37",
    sourceIpv6: "2001:db8::ff00:42:8329",
  },
};

const matches = (pattern: unknown) => matchesPattern(compilePattern(JSON.stringify(pattern)), event);

describe("event pattern matching", () => {
  it.each([
    ["exact string", { source: ["aws.cloudwatch"] }, true],
    ["exact string, other value", { source: ["aws.ec2"] }, false],
    ["one of several values", { source: ["aws.ec2", "aws.cloudwatch"] }, true],
    ["nested exact", { detail: { state: { value: ["ALARM"] } } }, true],
    ["every field must match", { source: ["aws.cloudwatch"], detail: { state: { value: ["OK"] } } }, false],
    ["a field the event lacks", { detail: { missing: ["x"] } }, false],
    ["number exact", { detail: { count: [5] } }, true],
    ["number is not its string", { detail: { count: ["5"] } }, false],
    ["null", { detail: { nothing: [null] } }, true],
    ["boolean", { detail: { enabled: [true] } }, true],
    ["empty string", { detail: { empty: [""] } }, true],
    ["array value: any element", { detail: { tags: ["green"] } }, true],
    ["array value: no element", { detail: { tags: ["red"] } }, false],
    ["resources array", { resources: [{ prefix: "arn:aws:cloudwatch:" }] }, true],
    ["prefix", { detail: { alarmName: [{ prefix: "mqops-local-scale-out" }] } }, true],
    ["prefix, other", { detail: { alarmName: [{ prefix: "mqops-prod-" }] } }, false],
    [
      "prefix ignoring case",
      { detail: { alarmName: [{ prefix: { "equals-ignore-case": "MQOPS-LOCAL" } }] } },
      true,
    ],
    ["suffix", { detail: { alarmName: [{ suffix: "-orders" }] } }, true],
    ["suffix, other", { detail: { alarmName: [{ suffix: "-payments" }] } }, false],
    [
      "suffix ignoring case",
      { detail: { alarmName: [{ suffix: { "equals-ignore-case": "-ORDERS" } }] } },
      true,
    ],
    ["equals-ignore-case", { detail: { state: { value: [{ "equals-ignore-case": "alarm" }] } } }, true],
    ["equals-ignore-case, other", { detail: { state: { value: [{ "equals-ignore-case": "ok" }] } } }, false],
    ["anything-but string", { detail: { state: { value: [{ "anything-but": "OK" }] } } }, true],
    ["anything-but string, excluded", { detail: { state: { value: [{ "anything-but": "ALARM" }] } } }, false],
    ["anything-but list", { detail: { state: { value: [{ "anything-but": ["OK", "ALARM"] }] } } }, false],
    ["anything-but number", { detail: { count: [{ "anything-but": [1, 2] }] } }, true],
    ["anything-but number, excluded", { detail: { count: [{ "anything-but": 5 }] } }, false],
    ["anything-but on a missing field", { detail: { missing: [{ "anything-but": "x" }] } }, false],
    ["anything-but prefix", { source: [{ "anything-but": { prefix: "aws.ec" } }] }, true],
    ["anything-but prefix, excluded", { source: [{ "anything-but": { prefix: "aws." } }] }, false],
    ["anything-but suffix", { source: [{ "anything-but": { suffix: "watch" } }] }, false],
    [
      "anything-but ignoring case",
      { source: [{ "anything-but": { "equals-ignore-case": ["AWS.CLOUDWATCH"] } }] },
      false,
    ],
    ["anything-but wildcard", { source: [{ "anything-but": { wildcard: "aws.*" } }] }, false],
    ["exists true", { detail: { alarmName: [{ exists: true }] } }, true],
    ["exists true on a missing field", { detail: { missing: [{ exists: true }] } }, false],
    ["exists false on a missing field", { detail: { missing: [{ exists: false }] } }, true],
    ["exists false on a present field", { detail: { alarmName: [{ exists: false }] } }, false],
    ["exists looks at leaves only", { detail: { state: [{ exists: true }] } }, false],
    ["exists true on null", { detail: { nothing: [{ exists: true }] } }, true],
    ["numeric >", { detail: { count: [{ numeric: [">", 4] }] } }, true],
    ["numeric > (equal)", { detail: { count: [{ numeric: [">", 5] }] } }, false],
    ["numeric >=", { detail: { count: [{ numeric: [">=", 5] }] } }, true],
    ["numeric <", { detail: { count: [{ numeric: ["<", 5] }] } }, false],
    ["numeric <=", { detail: { count: [{ numeric: ["<=", 5] }] } }, true],
    ["numeric =", { detail: { count: [{ numeric: ["=", 5.0] }] } }, true],
    ["numeric range", { detail: { ratio: [{ numeric: [">", 0, "<=", 1] }] } }, true],
    ["numeric range, outside", { detail: { ratio: [{ numeric: [">=", 0.8, "<", 1] }] } }, false],
    ["numeric on a string", { detail: { alarmName: [{ numeric: [">", 0] }] } }, false],
    ["wildcard", { detail: { alarmName: [{ wildcard: "mqops-*-orders" }] } }, true],
    ["wildcard, other", { detail: { alarmName: [{ wildcard: "mqops-*-payments" }] } }, false],
    ["wildcard with an escaped star", { detail: { path: [{ wildcard: "C:\\\\mq\\\\\\*d*" }] } }, true],
    ["wildcard: a star that is not escaped is any text", { detail: { path: [{ wildcard: "C:*" }] } }, true],
    ["cidr IPv4", { detail: { sourceIp: [{ cidr: "10.0.0.0/24" }] } }, true],
    ["cidr IPv4, outside", { detail: { sourceIp: [{ cidr: "10.0.1.0/24" }] } }, false],
    ["cidr counts from the address as written", { detail: { sourceIp: [{ cidr: "10.0.0.40/24" }] } }, false],
    ["cidr IPv6", { detail: { sourceIpv6: [{ cidr: "2001:db8::/32" }] } }, true],
    ["cidr IPv6 does not match IPv4", { detail: { sourceIp: [{ cidr: "2001:db8::/32" }] } }, false],
    [
      "an IP literal matches its other spellings",
      { detail: { sourceIpv6: ["2001:0db8:0:0:0:ff00:0042:8329"] } },
      true,
    ],
    ["$or: one branch matches", { $or: [{ source: ["aws.ec2"] }, { detail: { count: [5] } }] }, true],
    ["$or: no branch matches", { $or: [{ source: ["aws.ec2"] }, { detail: { count: [6] } }] }, false],
    [
      "$or nested, with an outer field",
      {
        source: ["aws.cloudwatch"],
        detail: { $or: [{ count: [{ numeric: [">", 10] }] }, { ratio: [0.75] }] },
      },
      true,
    ],
    [
      "array of objects: both fields in one element",
      { detail: { instances: { id: ["b-1"], role: ["ACTIVE"] } } },
      true,
    ],
    [
      "array of objects: fields from different elements",
      { detail: { instances: { id: ["b-1"], role: ["STANDBY"] } } },
      false,
    ],
  ])("%s", (_name, pattern, expected) => {
    expect(matches(pattern)).toBe(expected);
  });
});

describe("event pattern validation", () => {
  it.each([
    ["not JSON", "{source:", undefined],
    ["not an object", "[]", "Filter is not an object"],
    ["a string where a list belongs", '{"source": "aws.ec2"}', '"source" must be an object or an array'],
    ["an empty list", '{"source": []}', "Empty arrays are not allowed"],
    ["an empty object", '{"detail": {}}', "Empty objects are not allowed"],
    ["an unknown filter", '{"source": [{"regex": "a.*"}]}', "Unrecognized match type regex"],
    ["a prefix that is not a string", '{"source": [{"prefix": 1}]}', "prefix match pattern must be a string"],
    [
      "two keys in one filter",
      '{"source": [{"prefix": "a", "suffix": "b"}]}',
      "Only one key allowed in match expression",
    ],
    [
      "exists that is not a boolean",
      '{"source": [{"exists": "yes"}]}',
      "exists match pattern must be either true or false.",
    ],
    [
      "a numeric operator it does not know",
      '{"n": [{"numeric": ["!=", 1]}]}',
      "Unrecognized numeric range operator: !=",
    ],
    [
      "a numeric value that is not a number",
      '{"n": [{"numeric": [">", "1"]}]}',
      "Value of > must be numeric",
    ],
    ["a numeric range upside down", '{"n": [{"numeric": [">", 5, "<", 1]}]}', "Bottom must be less than top"],
    [
      "a numeric range with a bad operator",
      '{"n": [{"numeric": [">", 1, ">", 5]}]}',
      "Bad numeric range operator: >",
    ],
    [
      "anything-but of mixed types",
      '{"n": [{"anything-but": [1, "a"]}]}',
      "Inside anything but list, either all values are number or string, mixed type is not supported",
    ],
    [
      "anything-but of an unsupported kind",
      '{"n": [{"anything-but": {"numeric": [">", 1]}}]}',
      "Unsupported anything-but pattern: numeric",
    ],
    [
      "anything-but prefix empty",
      '{"n": [{"anything-but": {"prefix": ""}}]}',
      "Null prefix/suffix not allowed",
    ],
    ["consecutive wildcards", '{"n": [{"wildcard": "a**b"}]}', "Consecutive wildcard characters at pos 2"],
    ["a bad escape in a wildcard", '{"n": [{"wildcard": "a\\\\b"}]}', "Invalid escape character at pos 2"],
    ["a CIDR without a mask", '{"n": [{"cidr": "10.0.0.0"}]}', "Malformed CIDR, one '/' required"],
    ["a CIDR mask too wide", '{"n": [{"cidr": "10.0.0.0/32"}]}', "IPv4 mask bits must be < 32"],
    ["a CIDR of no address", '{"n": [{"cidr": "ten/8"}]}', "Invalid IP address: ten"],
    [
      "$or with one branch",
      '{"$or": [{"a": ["1"]}]}',
      "There must have at least 2 Objects in $or relationship.",
    ],
    ["$or that is not a list", '{"$or": {"a": ["1"]}}', "It must be an Array followed with $or."],
    [
      "a reserved name inside $or",
      '{"$or": [{"prefix": ["1"]}, {"b": ["2"]}]}',
      "prefix is Ruler reserved fieldName which cannot be used inside $or.",
    ],
  ])("refuses %s", (_name, pattern, reason) => {
    let error: unknown;
    try {
      compilePattern(pattern);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidEventPatternError);
    expect((error as Error).message).toMatch(/^Event pattern is not valid\. Reason: /);
    if (reason !== undefined) expect((error as InvalidEventPatternError).reason).toBe(reason);
  });
});
