import { Logger } from "@aws-lambda-powertools/logger";
import { describe, expect, it } from "vitest";
import * as errors from "../../../functions/lib/errors.js";
import { toHttpErrorResponse } from "../../../functions/lib/http.js";

const logger = new Logger({ logLevel: "SILENT" });
const classes = Object.entries(errors).filter(
  (entry): entry is [string, typeof errors.NamedError & { errorName: string }] =>
    typeof entry[1] === "function" && "errorName" in entry[1],
);

describe("named errors", () => {
  it("name every instance as the class's errorName, the string the workflows match", () => {
    expect(classes.length).toBeGreaterThan(20);
    for (const [exported, ErrorClass] of classes) {
      const error = new (ErrorClass as unknown as new (...args: unknown[]) => Error)([], [], []);
      expect(error.name, exported).toBe(ErrorClass.errorName);
      expect(error.name, exported).toBe(exported);
      expect(error).toBeInstanceOf(errors.NamedError);
    }
  });

  it.each([
    [new errors.RequestValidationError([{ field: "brokerName", message: "is required" }]), 400],
    [new errors.BrokerNotFoundError("b-1"), 404],
    [new errors.ExecutionNotFoundError("e-1"), 404],
    [new errors.RegistrationNotFoundError("orders"), 404],
    [new errors.ServiceNotFoundError("c", "s"), 404],
    [new errors.IdempotencyConflictError("t-1"), 409],
    [new errors.ResourceConflictError("busy"), 409],
    [new errors.ThrottledError("DescribeBroker"), 503],
    [new errors.TransientAwsError("DescribeBroker"), 503],
    [new errors.BrokerCreationFailedError("b-1"), 500],
    [new errors.PromotionConflictError("b-1"), 500],
    [new Error("boom"), 500],
  ])("answer the API with the status their class carries: %s", (error, status) => {
    expect(toHttpErrorResponse(error, logger).statusCode).toBe(status);
  });
});
