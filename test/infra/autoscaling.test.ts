import { beforeAll, describe, expect, it } from "vitest";
import { asList, type DeployedFunction, functionsByHandler, inlineStatements } from "./deployed.js";
import { ACCOUNT, type Evaluation, evaluateApp, named, ofType, REGION } from "./harness.js";

describe("consumer autoscaling on AWS (stage ci)", () => {
  let evaluation: Evaluation;
  let functions: Map<string, DeployedFunction>;
  beforeAll(async () => {
    evaluation = await evaluateApp("ci");
    functions = functionsByHandler(evaluation);
  });
  const fn = (handler: string) => {
    const found = functions.get(handler);
    if (found === undefined) throw new Error(`${handler} is not deployed`);
    return found;
  };

  it("starts the autoscaling workflow when any alarm under the API's alarm prefix enters ALARM", () => {
    const rule = named(evaluation, "AutoscalingAlarmRule");
    const prefix = (
      fn("functions/api/put-autoscaling.handler").lambda.inputs.environment as {
        variables: Record<string, string>;
      }
    ).variables.AUTOSCALING_ALARM_PREFIX;
    expect(prefix).toBe("mqops-ci-autoscaling");
    expect(JSON.parse(String(rule.inputs.eventPattern))).toEqual({
      source: ["aws.cloudwatch"],
      "detail-type": ["CloudWatch Alarm State Change"],
      detail: { alarmName: [{ prefix }], state: { value: ["ALARM"] } },
    });
    const target = ofType(evaluation, "aws:cloudwatch/eventTarget:EventTarget").find(
      (candidate) => candidate.inputs.rule === rule.state.name,
    );
    expect(target?.inputs.arn).toBe(named(evaluation, "AutoscalingStateMachine").state.arn);
  });

  it("creates alarms with a one-minute period, the period Amazon MQ publishes at", () => {
    const variables = (
      fn("functions/api/put-autoscaling.handler").lambda.inputs.environment as {
        variables: Record<string, string>;
      }
    ).variables;
    expect(variables.AUTOSCALING_ALARM_PERIOD_SECONDS).toBe("60");
  });

  it("scales only ECS services tagged mqops:autoscaling=true", () => {
    const statements = inlineStatements(fn("functions/autoscaling/apply-decision.handler").role);
    const ecs = statements.filter((statement) => asList(statement.Action).some((a) => a.startsWith("ecs:")));
    expect(ecs).toEqual([
      {
        Effect: "Allow",
        Action: ["ecs:UpdateService"],
        Resource: [`arn:aws:ecs:${REGION}:${ACCOUNT}:service/*`],
        Condition: { StringEquals: { "aws:ResourceTag/mqops:autoscaling": ["true"] } },
      },
    ]);
  });

  it("touches only its own alarms, and reads metrics anywhere (GetMetricData has no resource type)", () => {
    const statements = inlineStatements(fn("functions/autoscaling/read-queue-metrics.handler").role);
    expect(statements.map((statement) => [asList(statement.Action), asList(statement.Resource)])).toEqual([
      [["cloudwatch:GetMetricData"], ["*"]],
      [
        ["cloudwatch:DescribeAlarms"],
        [`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:mqops-ci-autoscaling*`],
      ],
    ]);
  });

  it("expires decision records through the state table's TTL", () => {
    expect(named(evaluation, "StateTable").inputs.ttl).toEqual({ attributeName: "expiresAt", enabled: true });
  });
});
