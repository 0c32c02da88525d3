import * as sdk from "@aws-sdk/client-mq";
import { describe, expect, it } from "vitest";
import { ROUTES } from "../../../../local/mq/router.js";

/**
 * The SDK carries each operation's `@http` trait in its schema (`CreateBroker$ = [9, namespace, name,
 * { http: [method, uri, status] }, …]`): the local route table must say the same, as LocalStack
 * derives its routes from the service model.
 */
type OperationSchema = [9, string, string, { http?: [string, string, number] }, ...unknown[]];

const isOperation = (value: unknown): value is OperationSchema =>
  Array.isArray(value) && value[0] === 9 && typeof value[2] === "string";

const sdkRoutes = Object.entries(sdk)
  .filter(([name, value]) => name.endsWith("$") && isOperation(value))
  .map(([, value]) => {
    const [, , operation, traits] = value as OperationSchema;
    const [method, uri, status] = traits.http ?? ["", "", 0];
    return { operation, method, pattern: uri, status };
  })
  .sort((a, b) => a.operation.localeCompare(b.operation));

// Labels are the members' names: BrokerId in the model, brokerId in the wire's JSON and in our table.
const normalise = (pattern: string) =>
  pattern.replace(/\{(\w+)\}/g, (_, label: string) => `{${label.toLowerCase()}}`);

describe("the local Amazon MQ route table", () => {
  it("reads the operations from the SDK's model", () => {
    expect(sdkRoutes.length).toBeGreaterThanOrEqual(24);
    expect(sdkRoutes.map((route) => route.operation)).toContain("CreateBroker");
  });

  it("serves every operation the SDK has, with the SDK's method, URI and success status", () => {
    const local = [...ROUTES]
      .map((route) => ({ ...route, pattern: normalise(route.pattern) }))
      .sort((a, b) => a.operation.localeCompare(b.operation));
    expect(local).toEqual(sdkRoutes.map((route) => ({ ...route, pattern: normalise(route.pattern) })));
  });
});
