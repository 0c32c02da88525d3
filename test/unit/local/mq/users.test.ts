import {
  BadRequestException,
  ConflictException,
  CreateUserCommand,
  DeleteUserCommand,
  DescribeBrokerCommand,
  DescribeUserCommand,
  ListUsersCommand,
  NotFoundException,
  RebootBrokerCommand,
  UpdateUserCommand,
} from "@aws-sdk/client-mq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Mq, PASSWORD, startMq } from "./harness.js";

let mq: Mq;
let brokerId: string;
beforeEach(async () => {
  mq = await startMq();
  brokerId = await mq.createBroker();
  await mq.waitForState(brokerId, "RUNNING");
});
afterEach(async () => {
  await mq.close();
});

const NEW_PASSWORD = "An0ther-Secret-Value";
const started = () => mq.runtime.starts.at(-1)?.users ?? [];

describe("user changes are pending until the broker reboots", () => {
  it("creates a user as pending CREATE and gives it to the runtime at the reboot", async () => {
    await mq.client.send(
      new CreateUserCommand({
        BrokerId: brokerId,
        Username: "app",
        Password: NEW_PASSWORD,
        Groups: ["writers"],
      }),
    );

    const pending = await mq.client.send(new DescribeUserCommand({ BrokerId: brokerId, Username: "app" }));
    const broker = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    expect(pending.Pending).toEqual({ PendingChange: "CREATE", ConsoleAccess: false, Groups: ["writers"] });
    expect(broker.Users).toEqual([{ Username: "admin" }, { Username: "app", PendingChange: "CREATE" }]);
    expect(started().map((user) => user.username)).toEqual(["admin"]);

    await mq.client.send(new RebootBrokerCommand({ BrokerId: brokerId }));
    await mq.waitForState(brokerId, "RUNNING");

    const active = await mq.client.send(new DescribeUserCommand({ BrokerId: brokerId, Username: "app" }));
    expect(active).toMatchObject({ Username: "app", Groups: ["writers"], ConsoleAccess: false });
    expect(active.Pending).toBeUndefined();
    expect(started()).toContainEqual(
      expect.objectContaining({ username: "app", password: NEW_PASSWORD, groups: ["writers"] }),
    );
  });

  it("updates a user as pending UPDATE: the running broker keeps the old password until the reboot", async () => {
    await mq.client.send(
      new UpdateUserCommand({
        BrokerId: brokerId,
        Username: "admin",
        Password: NEW_PASSWORD,
        ConsoleAccess: false,
      }),
    );

    const pending = await mq.client.send(new DescribeUserCommand({ BrokerId: brokerId, Username: "admin" }));
    expect(pending).toMatchObject({
      ConsoleAccess: true,
      Pending: { PendingChange: "UPDATE", ConsoleAccess: false },
    });

    await mq.client.send(new RebootBrokerCommand({ BrokerId: brokerId }));
    await mq.waitForState(brokerId, "RUNNING");

    expect(mq.runtime.starts[0]?.users[0]?.password).toBe(PASSWORD);
    expect(started()).toEqual([
      { username: "admin", password: NEW_PASSWORD, groups: [], consoleAccess: false },
    ]);
  });

  it("deletes a user as pending DELETE and drops it at the reboot", async () => {
    await mq.client.send(
      new CreateUserCommand({ BrokerId: brokerId, Username: "app", Password: NEW_PASSWORD }),
    );
    await mq.client.send(new RebootBrokerCommand({ BrokerId: brokerId }));
    await mq.waitForState(brokerId, "RUNNING");

    await mq.client.send(new DeleteUserCommand({ BrokerId: brokerId, Username: "app" }));
    const listed = await mq.client.send(new ListUsersCommand({ BrokerId: brokerId }));
    expect(listed.Users).toEqual([{ Username: "admin" }, { Username: "app", PendingChange: "DELETE" }]);

    await mq.client.send(new RebootBrokerCommand({ BrokerId: brokerId }));
    await mq.waitForState(brokerId, "RUNNING");

    const gone = await mq.client
      .send(new DescribeUserCommand({ BrokerId: brokerId, Username: "app" }))
      .catch((caught: unknown) => caught);
    expect(gone).toBeInstanceOf(NotFoundException);
    expect(gone).toMatchObject({ $metadata: { httpStatusCode: 404 }, ErrorAttribute: "username" });
    expect(started().map((user) => user.username)).toEqual(["admin"]);
  });

  it("deleting a user whose creation is pending cancels the creation", async () => {
    await mq.client.send(
      new CreateUserCommand({ BrokerId: brokerId, Username: "app", Password: NEW_PASSWORD }),
    );

    await mq.client.send(new DeleteUserCommand({ BrokerId: brokerId, Username: "app" }));

    const listed = await mq.client.send(new ListUsersCommand({ BrokerId: brokerId }));
    expect(listed.Users).toEqual([{ Username: "admin" }]);
  });
});

describe("ListUsers", () => {
  it("pages with maxResults and nextToken", async () => {
    for (const name of ["u1", "u2", "u3", "u4", "u5"]) {
      await mq.client.send(
        new CreateUserCommand({ BrokerId: brokerId, Username: name, Password: NEW_PASSWORD }),
      );
    }

    const first = await mq.client.send(new ListUsersCommand({ BrokerId: brokerId, MaxResults: 5 }));
    const second = await mq.client.send(
      new ListUsersCommand({ BrokerId: brokerId, MaxResults: 5, NextToken: first.NextToken }),
    );

    expect(first.Users?.map((user) => user.Username)).toEqual(["admin", "u1", "u2", "u3", "u4"]);
    expect(second.Users?.map((user) => user.Username)).toEqual(["u5"]);
    expect(second.NextToken).toBeUndefined();
  });
});

describe("errors", () => {
  it("refuses a username the broker already has with ConflictException", async () => {
    const error = await mq.client
      .send(new CreateUserCommand({ BrokerId: brokerId, Username: "admin", Password: NEW_PASSWORD }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 409 }, ErrorAttribute: "username" });
  });

  it.each([
    ["password", "app", "too-short"],
    ["password", "app", "aaaabbbbaaaabbbb"],
    ["password", "app", "colon:inside-it-here"],
    ["username", "a", NEW_PASSWORD],
    ["username", "has space", NEW_PASSWORD],
  ])("answers BadRequestException naming %s (%s)", async (attribute, username, password) => {
    const error = await mq.client
      .send(new CreateUserCommand({ BrokerId: brokerId, Username: username, Password: password }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 }, ErrorAttribute: attribute });
    expect(JSON.stringify(error)).not.toContain(password);
  });

  it("refuses to delete the broker's last user with BadRequestException", async () => {
    const error = await mq.client
      .send(new DeleteUserCommand({ BrokerId: brokerId, Username: "admin" }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ ErrorAttribute: "username" });
    expect((error as Error).message).toContain("at least one user");
  });

  it("answers NotFoundException for a user or broker that does not exist", async () => {
    const noUser = await mq.client
      .send(new UpdateUserCommand({ BrokerId: brokerId, Username: "ghost", ConsoleAccess: true }))
      .catch((caught: unknown) => caught);
    const noBroker = await mq.client
      .send(new ListUsersCommand({ BrokerId: "b-missing" }))
      .catch((caught: unknown) => caught);

    expect(noUser).toBeInstanceOf(NotFoundException);
    expect(noUser).toMatchObject({ ErrorAttribute: "username" });
    expect(noBroker).toBeInstanceOf(NotFoundException);
    expect(noBroker).toMatchObject({ ErrorAttribute: "broker-id" });
  });

  it("never sends a password back", async () => {
    await mq.client.send(
      new CreateUserCommand({ BrokerId: brokerId, Username: "app", Password: NEW_PASSWORD }),
    );
    await mq.client.send(new DescribeUserCommand({ BrokerId: brokerId, Username: "app" }));
    await mq.client.send(new ListUsersCommand({ BrokerId: brokerId }));
    await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));

    for (const body of mq.wire) {
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toContain(NEW_PASSWORD);
    }
  });
});
