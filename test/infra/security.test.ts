import { beforeAll, describe, expect, it } from "vitest";
import { type Evaluation, evaluateApp, named, ofType } from "./harness.js";

describe("security and data settings (stage ci)", () => {
  let evaluation: Evaluation;
  beforeAll(async () => {
    evaluation = await evaluateApp("ci");
  });

  it("exposes nothing publicly: no function URLs, resource policies or unauthenticated routes", () => {
    for (const type of [
      "aws:lambda/functionUrl:FunctionUrl",
      "aws:sns/topicPolicy:TopicPolicy",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:secretsmanager/secretPolicy:SecretPolicy",
      "aws:dynamodb/resourcePolicy:ResourcePolicy",
    ]) {
      expect(ofType(evaluation, type), type).toEqual([]);
    }
    for (const route of ofType(evaluation, "aws:apigatewayv2/route:Route")) {
      expect(route.inputs.authorizationType, String(route.inputs.routeKey)).toBe("AWS_IAM");
    }
    for (const permission of ofType(evaluation, "aws:lambda/permission:Permission")) {
      expect(String(permission.inputs.principal)).toMatch(/^[a-z-]+\.amazonaws\.com$/);
      expect(permission.inputs.sourceArn).toBeDefined();
    }
  });

  it("keeps state in an on-demand table on pk/sk with point-in-time recovery and encryption", () => {
    const table = named(evaluation, "StateTable").inputs;
    expect(table).toMatchObject({
      name: "mqops-ci-state",
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      rangeKey: "sk",
      attributes: [
        { name: "pk", type: "S" },
        { name: "sk", type: "S" },
      ],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
    });
  });

  it("encrypts the notifications topic with KMS", () => {
    expect(named(evaluation, "Notifications").inputs).toMatchObject({
      name: "mqops-ci-notifications",
      kmsMasterKeyId: "alias/aws/sns",
    });
  });

  it("tags everything through the AWS provider's default tags", () => {
    expect(evaluation.config.providers).toEqual({
      aws: { defaultTags: { tags: { "mqops:app": "mqops", "mqops:stage": "ci" } } },
    });
  });

  it("removes everything on sst remove outside production", () => {
    expect(evaluation.config).toMatchObject({ removal: "remove", protect: false });
    expect(named(evaluation, "StateTable").inputs.deletionProtectionEnabled).toBe(false);
    expect(evaluation.options.get("StateTable")?.retainOnDelete).toBeUndefined();
  });
});
