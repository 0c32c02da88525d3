import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES } from "../../functions/api/routes.js";
import { FUNCTION_GRANTS, IMPLIED_ACTIONS } from "../../infra/grants.js";
import { WORKFLOWS } from "../../workflows/index.js";
import {
  asList,
  type DeployedFunction,
  functionsByHandler,
  grantedActions,
  inlineStatements,
  trustStatements,
} from "./deployed.js";
import { ACCOUNT, type Evaluation, evaluateApp, named, REGION } from "./harness.js";
import { handlerFile, requiredActions, requiredEnvironment } from "./sdk-calls.js";

const HANDLERS = [
  ...API_ROUTES.map(({ handler }) => handler),
  ...WORKFLOWS.flatMap((workflow) => Object.values(workflow.functions)),
].sort();

describe("declared grants (infra/grants.ts) against the code", () => {
  it.each(HANDLERS)("%s is granted exactly the AWS calls its code makes", (handler) => {
    const required = requiredActions(handlerFile(handler));
    const declared = [...(FUNCTION_GRANTS[handler]?.actions ?? [])].sort();
    const missing = required.filter((action) => !declared.includes(action));
    const unused = declared.filter((action) => !required.includes(action));
    expect(
      { missing, unused },
      `update FUNCTION_GRANTS["${handler}"] in infra/grants.ts (missing: the code calls it; unused: nothing calls it)`,
    ).toEqual({ missing: [], unused: [] });
  });

  it.each(HANDLERS)("%s gets exactly the environment its code requires", (handler) => {
    expect([...(FUNCTION_GRANTS[handler]?.environment ?? [])].sort()).toEqual(
      requiredEnvironment(handlerFile(handler)),
    );
  });

  it("declares grants only for deployed handlers", () => {
    expect(Object.keys(FUNCTION_GRANTS).sort()).toEqual([...new Set(HANDLERS)].sort());
  });

  it("derives a new SDK call, through relative imports, and its documented extras", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "mqops-sdk-calls-"));
    mkdirSync(path.join(dir, "lib"));
    writeFileSync(
      path.join(dir, "handler.ts"),
      [
        'import { CreateBrokerCommand } from "@aws-sdk/client-mq";',
        'import { notify } from "./lib/notify.js";',
        "export const handler = async () => {",
        "  await mq.send(new CreateBrokerCommand({}));",
        "  await notify();",
        "};",
      ].join("\n"),
    );
    writeFileSync(
      path.join(dir, "lib/notify.ts"),
      [
        'import {\n  PublishCommand,\n  type PublishInput,\n} from "@aws-sdk/client-sns";',
        'import { PutCommand as Put } from "@aws-sdk/lib-dynamodb";',
        "export const notify = () => sns.send(new PublishCommand({})).then(() => ddb.send(new Put({})));",
      ].join("\n"),
    );
    const actions = requiredActions(path.join(dir, "handler.ts"));
    expect(actions).toContain("mq:CreateBroker");
    expect(actions).toContain("sns:Publish");
    expect(actions).toContain("ec2:CreateNetworkInterface");
    expect(actions).toContain("kms:GenerateDataKey");
    expect(actions).toContain("dynamodb:PutItem");
  });

  it("keeps implied actions to documented extras of calls", () => {
    for (const [call, implied] of Object.entries(IMPLIED_ACTIONS)) {
      expect(call).toMatch(/^[a-z0-9]+:[A-Z]\w+$/);
      expect(implied.why.length).toBeGreaterThan(20);
    }
  });
});

describe("deployed function roles", () => {
  let evaluation: Evaluation;
  let functions: Map<string, DeployedFunction>;
  beforeAll(async () => {
    evaluation = await evaluateApp("ci");
    functions = functionsByHandler(evaluation);
  });

  const deployed = (handler: string): DeployedFunction => {
    const fn = functions.get(handler);
    if (fn === undefined) throw new Error(`${handler} is not deployed`);
    return fn;
  };

  it("deploys one Lambda per handler", () => {
    expect([...functions.keys()].sort()).toEqual([...new Set(HANDLERS)].sort());
  });

  it.each(HANDLERS)("%s's role allows exactly the actions its code calls", (handler) => {
    expect(grantedActions(deployed(handler).role)).toEqual(requiredActions(handlerFile(handler)));
  });

  it.each(HANDLERS)("%s's role is assumable by Lambda alone", (handler) => {
    for (const statement of trustStatements(deployed(handler).role)) {
      expect(statement.Principal).toEqual({ Service: "lambda.amazonaws.com" });
    }
  });

  it.each(HANDLERS)("%s's role attaches only logging and X-Ray write access", (handler) => {
    expect([...(deployed(handler).role.inputs.managedPolicyArns as string[])].sort()).toEqual([
      "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    ]);
  });

  it("scopes every action that supports it to mqops' own resources", () => {
    const table = String(named(evaluation, "StateTable").state.arn);
    const topic = String(named(evaluation, "Notifications").state.arn);
    const secrets = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:mqops/brokers/*`;
    // Step Functions actions are scoped to the state machine the handler's environment names.
    const workflowOf = (handler: string) =>
      requiredEnvironment(handlerFile(handler))
        .find((name) => name.endsWith("_STATE_MACHINE_ARN"))
        ?.replace(/_STATE_MACHINE_ARN$/, "")
        .toLowerCase() ?? "provisioning";
    const alarms = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:mqops-ci-autoscaling*`;
    const services = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/*`;
    for (const handler of HANDLERS) {
      const machine = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:mqops-ci-${workflowOf(handler)}`;
      const executions = `arn:aws:states:${REGION}:${ACCOUNT}:execution:mqops-ci-${workflowOf(handler)}:*`;
      for (const statement of inlineStatements(deployed(handler).role)) {
        const resources = asList(statement.Resource);
        for (const action of asList(statement.Action)) {
          const service = action.split(":")[0];
          const where = `${handler}: ${action}`;
          if (service === "dynamodb") expect(resources, where).toEqual([table]);
          else if (service === "sns") expect(resources, where).toEqual([topic]);
          else if (service === "secretsmanager") expect(resources, where).toEqual([secrets]);
          else if (action === "states:StartExecution" || action === "states:ListExecutions")
            expect(resources, where).toEqual([machine]);
          else if (service === "states") expect(resources, where).toEqual([executions]);
          else if (action === "cloudwatch:GetMetricData") expect(resources, where).toEqual(["*"]);
          else if (service === "cloudwatch") expect(resources, where).toEqual([alarms]);
          else if (service === "ecs") {
            expect(resources, where).toEqual([services]);
            expect(statement.Condition, where).toEqual({
              StringEquals: { "aws:ResourceTag/mqops:autoscaling": ["true"] },
            });
          } else if (service === "kms") {
            expect(statement.Condition, where).toEqual({
              StringEquals: { "kms:ViaService": [`sns.${REGION}.amazonaws.com`] },
            });
          } else if (service === "events") {
            expect(resources, where).toEqual([`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`]);
          } else expect(["mq", "ec2"], `${where} has no scoping rule in this test`).toContain(service);
          expect(statement.Effect).toBe("Allow");
        }
      }
    }
  });

  it("lets Amazon MQ alone use the ENI permission actions", () => {
    const statements = inlineStatements(deployed("functions/provisioning/create-broker.handler").role);
    const permissionActions = statements.filter((statement) =>
      asList(statement.Action).some((action) => action.includes("NetworkInterfacePermission")),
    );
    expect(permissionActions).toHaveLength(1);
    expect(permissionActions[0]?.Condition).toEqual({
      StringEquals: { "ec2:AuthorizedService": ["mq.amazonaws.com"] },
    });
  });

  it.each(HANDLERS)("%s's Lambda reads exactly its environment, from the deployed resources", (handler) => {
    const variables = (deployed(handler).lambda.inputs.environment as { variables: Record<string, string> })
      .variables;
    const own = Object.keys(variables).filter(
      (name) => !name.startsWith("SST_") && !name.startsWith("POWERTOOLS_"),
    );
    expect(own.sort()).toEqual(requiredEnvironment(handlerFile(handler)));
    expect(variables.POWERTOOLS_SERVICE_NAME).toBe("mqops");
    expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe("mqops");
    expect(variables.POWERTOOLS_LOG_LEVEL).toBe("INFO");
    const expected: Record<string, string> = {
      STATE_TABLE_NAME: "mqops-ci-state",
      NOTIFICATIONS_TOPIC_ARN: String(named(evaluation, "Notifications").state.arn),
      PROVISIONING_STATE_MACHINE_ARN: String(named(evaluation, "ProvisioningStateMachine").state.arn),
      MAINTENANCE_STATE_MACHINE_ARN: String(named(evaluation, "MaintenanceStateMachine").state.arn),
      FAILOVER_STATE_MACHINE_ARN: String(named(evaluation, "FailoverStateMachine").state.arn),
      AUTOSCALING_ALARM_PREFIX: "mqops-ci-autoscaling",
      AUTOSCALING_ALARM_PERIOD_SECONDS: "60",
    };
    for (const name of own) expect(variables[name], name).toBe(expected[name]);
  });

  it.each(HANDLERS)("%s runs on Node 24 with X-Ray active tracing", (handler) => {
    const { inputs } = deployed(handler).lambda;
    expect(inputs.runtime).toBe("nodejs24.x");
    expect(inputs.tracingConfig).toEqual({ mode: "Active" });
  });
});
