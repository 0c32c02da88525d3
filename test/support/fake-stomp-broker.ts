import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";

/**
 * A small STOMP 1.0 server on loopback that answers what the maintenance probes ask an ActiveMQ
 * broker over the wire: CONNECT with a login, SEND with receipts, SUBSCRIBE (the `mqopsProbe = '…'`
 * selector, destination advisories replayed as `jms-advisory-json`, statisticsBrokerPlugin replies
 * as `jms-map-json`), ACK, UNSUBSCRIBE, DISCONNECT. Workflow tests use it instead of a JVM; what it
 * does wrong on purpose is set per test (`dropMessages`, `queues`, `refuseLogins`).
 */
export class FakeStompBroker {
  /** Queues the broker has; sending to a queue adds it. */
  queues = new Set<string>();
  /** Messages sent are receipted but never delivered (a broken broker). */
  dropMessages = false;
  /** Every CONNECT is answered with an ERROR frame. */
  refuseLogins = false;
  /** Answered to ActiveMQ.Statistics.Broker; undefined: no plugin, no answer. */
  statistics: Record<string, number> | undefined = { storePercentUsage: 1, size: 0 };
  readonly logins: string[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly users: Record<string, string>) {}

  async start(): Promise<void> {
    const server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    this.port = typeof address === "object" && address !== null ? address.port : 0;
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server === undefined ? resolve() : this.server.close(() => resolve()),
    );
  }

  get endpoint(): string {
    return `stomp://127.0.0.1:${this.port}`;
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => undefined);
    const subscriptions = new Map<string, Record<string, string>>();
    let buffer = "";
    const write = (command: string, headers: Record<string, string>, body = "") => {
      const lines = Object.entries(headers).map(([k, v]) => `${k}:${v}`);
      socket.write(`${command}\n${lines.join("\n")}\n\n${body}\0`);
    };
    const deliver = (destination: string, headers: Record<string, string>, body: string) => {
      for (const [id, subscription] of subscriptions) {
        if (subscription.destination !== destination) continue;
        const selector = /^mqopsProbe = '([^']+)'$/.exec(subscription.selector ?? "");
        if (selector !== null && headers.mqopsProbe !== selector[1]) continue;
        write(
          "MESSAGE",
          { ...headers, destination, subscription: id, "message-id": `ID:${randomUUID()}` },
          body,
        );
      }
    };
    const handle = (command: string, headers: Record<string, string>, body: string) => {
      const receipt = () => {
        if (headers.receipt !== undefined) write("RECEIPT", { "receipt-id": headers.receipt });
      };
      switch (command) {
        case "CONNECT":
        case "STOMP": {
          const login = headers.login ?? "";
          if (
            this.refuseLogins ||
            this.users[login] === undefined ||
            this.users[login] !== headers.passcode
          ) {
            write("ERROR", { message: `User name [${login}] or password is invalid.` });
            socket.end();
            return;
          }
          this.logins.push(login);
          write("CONNECTED", { session: randomUUID() });
          return;
        }
        case "SEND": {
          const destination = headers.destination ?? "";
          receipt();
          if (destination === "/queue/ActiveMQ.Statistics.Broker") {
            const replyTo = headers["reply-to"];
            if (this.statistics !== undefined && replyTo !== undefined) {
              const entry = Object.entries(this.statistics).map(([name, value]) => ({
                string: name,
                long: value,
              }));
              deliver(replyTo, {}, JSON.stringify({ map: { entry } }));
            }
            return;
          }
          if (destination.startsWith("/queue/")) this.queues.add(destination.slice("/queue/".length));
          if (!this.dropMessages) deliver(destination, headers, body);
          return;
        }
        case "SUBSCRIBE": {
          const id = headers.id ?? randomUUID();
          subscriptions.set(id, headers);
          receipt();
          if (headers.destination === "/topic/ActiveMQ.Advisory.Queue") {
            for (const queue of this.queues) {
              const advisory = {
                DestinationInfo: {
                  commandId: 0,
                  destination: { "@class": "ActiveMQQueue", string: queue, null: "" },
                  operationType: 0,
                },
              };
              deliver(headers.destination, { type: "Advisory" }, JSON.stringify(advisory));
            }
          }
          return;
        }
        case "UNSUBSCRIBE":
          subscriptions.delete(headers.id ?? "");
          receipt();
          return;
        case "DISCONNECT":
          receipt();
          socket.end();
          return;
        default:
          receipt();
      }
    };
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      for (let end = buffer.indexOf("\0"); end !== -1; end = buffer.indexOf("\0")) {
        const frame = buffer.slice(0, end).replace(/^\n+/, "");
        buffer = buffer.slice(end + 1);
        const split = frame.indexOf("\n\n");
        const head = split === -1 ? frame : frame.slice(0, split);
        const body = split === -1 ? "" : frame.slice(split + 2);
        const [command = "", ...lines] = head.split("\n");
        const headers: Record<string, string> = {};
        for (const line of lines) {
          const colon = line.indexOf(":");
          if (colon > 0 && headers[line.slice(0, colon)] === undefined) {
            headers[line.slice(0, colon)] = line.slice(colon + 1);
          }
        }
        handle(command.trim(), headers, body);
      }
    });
  }
}
