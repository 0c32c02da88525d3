#!/usr/bin/env -S npx tsx
/**
 * The `mqops` command: `up` starts the local cloud (what `npm start` runs); `brokers` and
 * `executions` call its HTTP API, signed with the local credentials, as they would call AWS's.
 */
import { CliError } from "./api.js";
import { brokersCommand } from "./brokers.js";
import { executionsCommand } from "./executions.js";

const USAGE = `usage:
  mqops up                                   start the local cloud (foreground; Ctrl-C stops it)
  mqops doctor                               check Java, ActiveMQ and slapd (installs Debian's packages as root)
  mqops brokers create --name N [--mode SINGLE_INSTANCE|ACTIVE_STANDBY_MULTI_AZ|CLUSTER_MULTI_AZ]
                       --user name:password [--user …] [--engine-version 5.18] [--config activemq.xml]
                       [--client-token T] [--no-wait] [--json]
                       [--ldap local|ldap-server-metadata.json]   (LDAP authentication; users optional)
  mqops brokers list|get <id>|delete <id> [--json]
  mqops ldap up [--port 3389]                a seeded OpenLDAP directory on 127.0.0.1 (foreground; Ctrl-C stops it)
  mqops executions list [--status S] [--limit N] | get <id> [--json]
  mqops demo autoscaling [--rate 15] [--ramp 60] [--hold 90]   the autoscaling loop, live, on the local cloud
  mqops autoscaling register --broker ID --queue Q --cluster C --service S [--min N] [--max N]
                    [--target-wait S] [--scale-to-zero] [--settings file.json] … | get | deregister
  mqops consume --broker ID --queue Q [--service-ms 200] [--prefetch 1] [--user name:password]
  mqops load --broker ID --queue Q --rate 50/s --for 10m [--shape steady|ramp|square|trace FILE.csv]
             [--user name:password]   (broker credentials also from MQ_USERNAME / MQ_PASSWORD)
  mqops console [--stage S [--api-url URL] [--region R]] [--port N]
                                             the web console on 127.0.0.1 (the local cloud's, or a stage's)
  mqops chaos list | add … | set FILE | clear | kill BROKER_ID | stop
                                             inject faults into the local cloud (mqops chaos --help)
environment: MQOPS_DATA_DIR (.mqops), MQOPS_PORT (4566), MQOPS_REGION (us-east-1),
             MQOPS_ACCESS_KEY_ID / MQOPS_SECRET_ACCESS_KEY (generated into the data directory when unset),
             MQOPS_FAULTS (fault rules as a JSON array, applied from the start; see mqops chaos)`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "up": {
      const { upCommand } = await import("./up.js");
      return upCommand();
    }
    case "doctor": {
      // What the local cloud and the integration tests need from the machine: Java and Debian's activemq.
      const { ensureActiveMq, ensureJava } = await import("../local/prerequisites.js");
      try {
        ensureJava();
        ensureActiveMq((line) => console.error(`[mqops] ${line}`));
        // LDAP brokers' directory (mqops ldap up, test/integration/ldap.test.ts).
        const { ensureSlapd } = await import("../local/ldap/install.js");
        ensureSlapd((line) => console.error(`[mqops] ${line}`));
      } catch (error) {
        throw new CliError(`mqops doctor: ${(error as Error).message}`);
      }
      console.error("[mqops] Java, Apache ActiveMQ and OpenLDAP's slapd are installed.");
      return;
    }
    case "brokers":
      return brokersCommand(rest);
    case "ldap": {
      const { ldapCommand } = await import("./ldap.js");
      return ldapCommand(rest);
    }
    case "executions":
      return executionsCommand(rest);
    case "autoscaling": {
      const { autoscalingCommand } = await import("./autoscaling.js");
      return autoscalingCommand(rest);
    }
    case "consume": {
      const { consumeCommand } = await import("./consume.js");
      return consumeCommand(rest);
    }
    case "load": {
      const { loadCommand } = await import("./load.js");
      return loadCommand(rest);
    }
    case "demo": {
      const [which, ...demoArgs] = rest;
      if (which !== "autoscaling") throw new CliError("usage: mqops demo autoscaling [--help]", 2);
      const { demoAutoscaling } = await import("./demo/autoscaling.js");
      return demoAutoscaling(demoArgs);
    }
    case "console": {
      const { consoleCommand } = await import("./console.js");
      return consoleCommand(rest);
    }
    case "chaos": {
      const { chaosCommand } = await import("./chaos.js");
      return chaosCommand(rest);
    }
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return;
    default:
      throw new CliError(USAGE, 2);
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(
      error instanceof CliError ? error.message : `mqops: ${(error as Error).stack ?? String(error)}`,
    );
    process.exit(error instanceof CliError ? error.exitCode : 1);
  },
);
