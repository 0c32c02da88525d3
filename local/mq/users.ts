import { MAX_USERS } from "../../functions/lib/amazon-mq.js";
import { findBroker } from "./brokers.js";
import type { MqContext } from "./context.js";
import { BadRequestException, UnknownUser, UserExists, UserPendingDeletion } from "./exceptions.js";
import { page } from "./pagination.js";
import type { OperationCall } from "./router.js";
import { assertCanChangeUsers, type BrokerRecord, effectiveUsers, type UserRecord } from "./state.js";
import * as validate from "./validation.js";

/**
 * Broker users. As on Amazon MQ, a change made here is pending (`pendingChange` CREATE, UPDATE or
 * DELETE) until the broker reboots; passwords are stored for the runtime and never returned.
 */

function findUser(broker: BrokerRecord, username: string): UserRecord {
  const user = broker.users.find((candidate) => candidate.username === username);
  if (user === undefined) throw new UnknownUser(broker.id, username);
  return user;
}

function refusePendingDelete(broker: BrokerRecord, user: UserRecord): void {
  if (user.pending?.change === "DELETE") {
    throw new UserPendingDeletion(broker.id, user.username);
  }
}

export function userOperations(context: MqContext) {
  return {
    CreateUser({ body, params }: OperationCall) {
      const broker = findBroker(context, params.brokerId ?? "");
      assertCanChangeUsers(broker, "CreateUser");
      const { username, ...settings } = validate.newUser(body, params.username ?? "");
      const existing = broker.users.find((user) => user.username === username);
      if (existing !== undefined) {
        refusePendingDelete(broker, existing);
        throw new UserExists(broker.id, username);
      }
      if (effectiveUsers(broker).length >= MAX_USERS) {
        throw new BadRequestException(
          `Broker ${broker.id} has ${MAX_USERS} users, the most it may have.`,
          "username",
        );
      }
      if (settings.replicationUser && effectiveUsers(broker).some((user) => user.settings.replicationUser)) {
        throw new BadRequestException(
          `Broker ${broker.id} already has a replication user.`,
          "replicationUser",
        );
      }
      broker.users.push({ username, pending: { change: "CREATE", settings } });
      context.save();
      return {};
    },

    DescribeUser({ params }: OperationCall) {
      const broker = findBroker(context, params.brokerId ?? "");
      const user = findUser(broker, params.username ?? "");
      return {
        brokerId: broker.id,
        username: user.username,
        ...(user.active === undefined
          ? {}
          : {
              consoleAccess: user.active.consoleAccess,
              groups: user.active.groups,
              replicationUser: user.active.replicationUser,
            }),
        ...(user.pending === undefined
          ? {}
          : {
              pending: {
                pendingChange: user.pending.change,
                ...(user.pending.settings === undefined
                  ? {}
                  : {
                      consoleAccess: user.pending.settings.consoleAccess,
                      groups: user.pending.settings.groups,
                    }),
              },
            }),
      };
    },

    ListUsers({ params, request }: OperationCall) {
      const broker = findBroker(context, params.brokerId ?? "");
      const limit = validate.maxResults(request.query);
      const { items, nextToken } = page(
        broker.users,
        (user) => user.username,
        limit,
        request.query.get("nextToken"),
      );
      return {
        brokerId: broker.id,
        maxResults: limit,
        users: items.map((user) => ({
          username: user.username,
          ...(user.pending === undefined ? {} : { pendingChange: user.pending.change }),
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    UpdateUser({ body, params }: OperationCall) {
      const broker = findBroker(context, params.brokerId ?? "");
      assertCanChangeUsers(broker, "UpdateUser");
      const user = findUser(broker, params.username ?? "");
      refusePendingDelete(broker, user);
      const base = user.pending?.settings ?? user.active;
      if (base === undefined) throw new UnknownUser(broker.id, user.username);
      const password = body.string("password");
      const groups = body.stringList("groups");
      const settings = {
        password: password === undefined ? base.password : validate.password(password),
        consoleAccess: body.boolean("consoleAccess") ?? base.consoleAccess,
        groups: groups === undefined ? base.groups : validate.groups(groups),
        replicationUser: body.boolean("replicationUser") ?? base.replicationUser,
      };
      user.pending = { change: user.pending?.change === "CREATE" ? "CREATE" : "UPDATE", settings };
      context.save();
      return {};
    },

    DeleteUser({ params }: OperationCall) {
      const broker = findBroker(context, params.brokerId ?? "");
      assertCanChangeUsers(broker, "DeleteUser");
      const user = findUser(broker, params.username ?? "");
      refusePendingDelete(broker, user);
      if (effectiveUsers(broker).length <= 1) {
        throw new BadRequestException(
          `User ${user.username} is the last user of broker ${broker.id}; a broker needs at least one user.`,
          "username",
        );
      }
      if (user.pending?.change === "CREATE") {
        // Never on the broker: dropping the staged creation is the whole deletion.
        broker.users = broker.users.filter((candidate) => candidate !== user);
      } else {
        user.pending = { change: "DELETE" };
      }
      context.save();
      return {};
    },
  };
}
