import { rmSync, statSync } from "node:fs";
import path from "node:path";
import {
  CreateConfigurationCommand,
  CreateUserCommand,
  DeleteBrokerCommand,
  DescribeBrokerCommand,
  DescribeConfigurationCommand,
  ListUsersCommand,
  NotFoundException,
  UpdateConfigurationCommand,
} from "@aws-sdk/client-mq";
import { afterEach, describe, expect, it } from "vitest";
import { type Mq, PASSWORD, startMq } from "./harness.js";

const open: Mq[] = [];
async function start(dataDir?: string) {
  const mq = await startMq(dataDir);
  open.push(mq);
  return mq;
}
afterEach(async () => {
  const dirs = new Set(open.map((mq) => mq.dataDir));
  await Promise.all(open.splice(0).map((mq) => mq.close(false)));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("state survives a new service on the same data directory", () => {
  it("keeps brokers, configurations, users and tags, and starts RUNNING brokers again on resume", async () => {
    // Prepare
    const first = await start();
    const brokerId = await first.createBroker({ Tags: { team: "payments" } });
    await first.waitForState(brokerId, "RUNNING");
    await first.client.send(
      new CreateUserCommand({ BrokerId: brokerId, Username: "later", Password: "Pending-Pa55word" }),
    );
    const configuration = await first.client.send(
      new CreateConfigurationCommand({ EngineType: "ACTIVEMQ", Name: "kept" }),
    );
    await first.client.send(
      new UpdateConfigurationCommand({
        ConfigurationId: configuration.Id,
        Data: Buffer.from("<broker/>").toString("base64"),
      }),
    );
    const before = await first.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    await first.close(false);

    // Act
    const second = await start(first.dataDir);

    // Assess
    const after = await second.waitForState(brokerId, "RUNNING");
    expect(after).toEqual({ ...before, $metadata: after.$metadata });
    expect(second.runtime.starts).toEqual([first.runtime.starts[0]]);
    expect(second.runtime.starts[0]?.users).toEqual([
      { username: "admin", password: PASSWORD, groups: [], consoleAccess: true },
    ]);
    const users = await second.client.send(new ListUsersCommand({ BrokerId: brokerId }));
    expect(users.Users).toContainEqual({ Username: "later", PendingChange: "CREATE" });
    const kept = await second.client.send(
      new DescribeConfigurationCommand({ ConfigurationId: configuration.Id }),
    );
    expect(kept.LatestRevision?.Revision).toBe(2);
  });

  it("finishes a creation that was under way, and a deletion", async () => {
    const first = await start();
    const deleting = await first.createBroker();
    await first.waitForState(deleting, "RUNNING");
    first.runtime.holdStarts();
    first.runtime.holdDestroys();
    const creating = await first.createBroker();
    await first.client.send(new DeleteBrokerCommand({ BrokerId: deleting }));
    await first.close(false);

    const second = await start(first.dataDir);
    await second.service.settled();

    await second.waitForState(creating, "RUNNING");
    expect(second.runtime.destroys).toEqual([deleting]);
    const gone = await second.client
      .send(new DescribeBrokerCommand({ BrokerId: deleting }))
      .catch((caught: unknown) => caught);
    expect(gone).toBeInstanceOf(NotFoundException);
  });

  it("marks a RUNNING broker that cannot start again CRITICAL_ACTION_REQUIRED", async () => {
    const first = await start();
    const brokerId = await first.createBroker();
    await first.waitForState(brokerId, "RUNNING");
    await first.close(false);

    const second = await startMq(first.dataDir, (runtime) => runtime.failNextStart(new Error("port taken")));
    open.push(second);

    const described = await second.waitForState(brokerId, "CRITICAL_ACTION_REQUIRED");
    expect(described.ActionsRequired?.[0]?.ActionRequiredInfo).toBe("port taken");
  });

  it("keeps the state file readable by its owner only (it holds passwords)", async () => {
    const mq = await start();
    await mq.createBroker();

    expect(statSync(path.join(mq.dataDir, "mq.json")).mode & 0o777).toBe(0o600);
  });
});
