import { startLocalCloud } from "../local/cloud.js";
import { resolveConfig } from "../local/config.js";
import { LOCAL_ACTIVEMQ_VERSION } from "../local/mq/engine-types.js";
import { CliError } from "./api.js";
import { startDirectoryIfAsked } from "./ldap.js";

/** `mqops up`: starts the local cloud in the foreground until Ctrl-C, which stops everything it started. */
export async function upCommand(): Promise<void> {
  const config = resolveConfig();
  const log = (line: string) => console.error(`[mqops] ${line}`);
  log(`starting the local cloud (data in ${config.dataDir})...`);
  // MQOPS_LDAP=1: the seeded directory for LDAP brokers runs with the cloud and stops with it.
  const directory = await startDirectoryIfAsked(log);
  const cloud = await startLocalCloud(config, {
    log,
    onPublish: (message) =>
      log(`SNS ${message.topicArn.split(":").pop()}: ${message.subject ?? message.message}`),
  }).catch(async (error: unknown) => {
    await directory?.stop();
    throw new CliError(`mqops up: ${(error as Error).message}`);
  });
  const { accessKeyId, secretAccessKey } = config.credentials;
  console.log(
    [
      "",
      `mqops local cloud is up on ${cloud.url}`,
      `  AWS endpoint   ${cloud.url}  (Amazon MQ, Step Functions, CloudWatch, EventBridge, Scheduler, ECS, DynamoDB, Secrets Manager, SNS; SigV4)`,
      `  HTTP API       ${cloud.url}  (sign for service execute-api: POST/GET /brokers, GET /brokers/{id}, GET /executions)`,
      `  console        ${cloud.consoleUrl}  (open it in a browser: brokers, executions, queues)`,
      `  region         ${cloud.region}`,
      `  data           ${cloud.dataDir}`,
      `  credentials    ${config.credentialsSource}`,
      `  metrics        AWS/AmazonMQ every ${config.metricsPeriodSeconds} s from the brokers' own counters (MQOPS_METRICS_PERIOD_SECONDS)`,
      `  brokers        Apache ActiveMQ ${LOCAL_ACTIVEMQ_VERSION} from Debian, whatever engine version a broker is labelled with`,
      "",
      "Use it from another terminal:",
      `  export AWS_ENDPOINT_URL=${cloud.url} AWS_REGION=${cloud.region} AWS_DEFAULT_REGION=${cloud.region}`,
      `  export AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey}`,
      "  npx mqops brokers create --name demo --mode ACTIVE_STANDBY_MULTI_AZ --user admin:Admin-Password-1",
      "",
      "Ctrl-C stops the local cloud and every broker it started.",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: stopping brokers and the endpoint...`);
      cloud
        .stop()
        .then(() => directory?.stop())
        .catch((error: unknown) => log(`error while stopping: ${(error as Error).message}`))
        .finally(() => {
          log("stopped.");
          resolve();
        });
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}
