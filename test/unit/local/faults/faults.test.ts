import { describe, expect, it } from "vitest";
import type { BrokerRuntime } from "../../../../local/brokers/types.js";
import { createChaosControl } from "../../../../local/faults/control.js";
import { checkFaultRules, operationOf, parseFaultPlan } from "../../../../local/faults/plan.js";
import { FaultInjector } from "../../../../local/faults/service.js";
import { AwsServiceError } from "../../../../local/server/aws-error.js";
import type { AwsRequest, LocalService } from "../../../../local/server/service.js";
import { FakeRuntime } from "../mq/fake-runtime.js";

const request = (
  method: string,
  path: string,
  body = "",
  headers: Record<string, string> = {},
): AwsRequest => ({
  method,
  path,
  query: new URLSearchParams(),
  headers,
  body: Buffer.from(body),
  region: "us-east-1",
  accessKeyId: "test",
  requestId: "r",
});

const echo: LocalService = {
  signingName: "mq",
  protocol: "rest-json",
  handle: async () => ({ status: 200, body: "served" }),
};

describe("fault rules", () => {
  it("refuses a rule that does nothing, or two outcomes at once, naming the rule", () => {
    expect(() => checkFaultRules([{ service: "mq", operation: "x" }])).toThrow(
      /MQOPS_FAULTS\[0\] needs at least one/,
    );
    expect(() =>
      checkFaultRules([{ service: "mq", operation: "x", drop: true, error: { status: 500, code: "X" } }]),
    ).toThrow(/exclude each other/);
    expect(() => parseFaultPlan("{not json")).toThrow(/MQOPS_FAULTS is not valid JSON/);
  });

  it("names a Query request by its Action and a JSON one by its target", () => {
    const form = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
    expect(operationOf(request("POST", "/", "Action=Publish&TopicArn=x", form))).toBe("Publish");
    expect(
      operationOf(request("POST", "/", "{}", { "x-amz-target": "AWSStepFunctions.StartExecution" })),
    ).toBe("StartExecution");
    expect(operationOf(request("GET", "/v1/brokers/b-1"))).toBe("GET /v1/brokers/b-1");
  });
});

describe("FaultInjector", () => {
  it("lets `after` requests through, then applies the rule `times` times", async () => {
    const faults = new FaultInjector([
      {
        service: "mq",
        operation: "GET /v1/brokers/*",
        error: { status: 503, code: "Unavailable" },
        after: 1,
        times: 1,
      },
    ]);
    const mq = faults.wrap(echo);

    await expect(mq.handle(request("GET", "/v1/brokers/b-1"))).resolves.toMatchObject({ body: "served" });
    await expect(mq.handle(request("GET", "/v1/brokers/b-1"))).rejects.toMatchObject({
      code: "Unavailable",
      status: 503,
    });
    await expect(mq.handle(request("GET", "/v1/brokers/b-1"))).resolves.toMatchObject({ body: "served" });
    expect(faults.list()).toEqual([]);
  });

  it("drops the connection, and asks the cloud to stop for a stopCloud rule", async () => {
    let stops = 0;
    const faults = new FaultInjector(
      [
        { service: "mq", operation: "POST /v1/brokers", drop: true, times: 1 },
        { service: "mq", operation: "POST /v1/brokers", stopCloud: true, times: 1 },
      ],
      { onStopCloud: () => stops++ },
    );
    const mq = faults.wrap(echo);

    await expect(mq.handle(request("POST", "/v1/brokers"))).resolves.toEqual({
      status: 0,
      dropConnection: true,
    });
    await expect(mq.handle(request("POST", "/v1/brokers"))).resolves.toEqual({
      status: 0,
      dropConnection: true,
    });
    await new Promise((resolve) => setImmediate(resolve));

    expect(stops).toBe(1);
    expect(faults.applied.map((fault) => fault.outcome)).toEqual(["dropped", "stopped the cloud"]);
  });
});

describe("chaos control route", () => {
  const setup = (runtime: BrokerRuntime = new FakeRuntime()) => {
    const faults = new FaultInjector();
    let stopped = 0;
    const control = createChaosControl({ faults, runtime, stopCloud: () => stopped++ });
    return { faults, control, stopped: () => stopped };
  };
  const json = (response: { body?: string | Buffer }) => JSON.parse(String(response.body));

  it("replaces, adds, lists and clears rules", async () => {
    const { control } = setup();
    const rule = { service: "mq", operation: "POST /v1/brokers", delayMs: 10, times: 2 };

    await control.handle(request("PUT", "/faults", JSON.stringify({ rules: [rule] })));
    await control.handle(request("POST", "/faults", JSON.stringify({ ...rule, times: 1 })));
    const listed = json(await control.handle(request("GET", "/faults")));
    const cleared = json(await control.handle(request("DELETE", "/faults")));

    expect(listed.rules).toEqual([
      { rule, left: 2 },
      { rule: { ...rule, times: 1 }, left: 1 },
    ]);
    expect(cleared.rules).toEqual([]);
  });

  it("answers a bad rule with a 400 naming the field, never a 5xx", async () => {
    const { control } = setup();

    const bad = control.handle(
      request(
        "POST",
        "/faults",
        JSON.stringify({ service: "mq", operation: "x", error: { status: 200, code: "X" } }),
      ),
    );

    await expect(bad).rejects.toBeInstanceOf(AwsServiceError);
    await expect(bad).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("rules[0.error.status]"),
    });
    await expect(control.handle(request("PUT", "/faults", "{"))).rejects.toMatchObject({ status: 400 });
    await expect(control.handle(request("GET", "/nothing"))).rejects.toMatchObject({ status: 404 });
    await expect(control.handle(request("POST", "/brokers/%uD800/kill", "{}"))).rejects.toMatchObject({
      status: 400,
    });
  });

  it("says when the runtime cannot kill, and stops the cloud on request", async () => {
    const { control, stopped } = setup();

    await expect(control.handle(request("POST", "/brokers/b-1/kill", "{}"))).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("cannot kill"),
    });
    await expect(control.handle(request("POST", "/stop"))).resolves.toMatchObject({ status: 202 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped()).toBe(1);
  });
});
