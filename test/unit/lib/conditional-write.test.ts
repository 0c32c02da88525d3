import { ConditionalCheckFailedException, DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { conditionalWrite } from "../../../functions/lib/conditional-write.js";

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });

describe("conditionalWrite", () => {
  it("returns the write's result when its condition holds", async () => {
    await expect(
      conditionalWrite(
        async () => "written",
        () => "lost",
      ),
    ).resolves.toBe("written");
  });

  it("returns or throws what onFailed makes of a failed condition, with the AWS error as its cause", async () => {
    const failure = conditionFailed();
    await expect(
      conditionalWrite(
        async () => {
          throw failure;
        },
        (cause) => cause,
      ),
    ).resolves.toBe(failure);
    await expect(
      conditionalWrite(
        async () => {
          throw failure;
        },
        (cause) => {
          throw new Error("superseded", { cause });
        },
      ),
    ).rejects.toMatchObject({ message: "superseded", cause: failure });
  });

  it("throws any other failure as the write threw it", async () => {
    const throttled = new DynamoDBServiceException({
      name: "ProvisionedThroughputExceededException",
      $fault: "client",
      $metadata: {},
    });
    let called = false;
    await expect(
      conditionalWrite(
        async () => {
          throw throttled;
        },
        () => {
          called = true;
        },
      ),
    ).rejects.toBe(throttled);
    expect(called).toBe(false);
  });
});
