import { createServer, type Server, type Socket } from "node:net";

/**
 * A stand-in for ActiveMQ's STOMP connector and statistics plugin, for unit tests of the collector
 * without a JVM: it answers CONNECT (checking login and passcode), SUBSCRIBE, and SENDs to
 * `ActiveMQ.Statistics.Broker` / `ActiveMQ.Statistics.Destination.>` with MESSAGE frames shaped as
 * ActiveMQ 5.17 sends them (jms-map-json bodies, correlation id, an empty map ending the list).
 * The real plugin is exercised by test/integration/metrics-collector.test.ts.
 */

export interface FakeQueue {
  size: number;
  enqueueCount: number;
  dequeueCount: number;
  dispatchCount: number;
  expiredCount: number;
  inflightCount: number;
  consumerCount: number;
}

export const emptyQueue = (): FakeQueue => ({
  size: 0,
  enqueueCount: 0,
  dequeueCount: 0,
  dispatchCount: 0,
  expiredCount: 0,
  inflightCount: 0,
  consumerCount: 0,
});

interface Frame {
  command: string;
  headers: Record<string, string>;
}

function parseFrame(text: string): Frame {
  const [head = ""] = text.split("\n\n");
  const [command = "", ...lines] = head.replace(/^\n+/, "").split("\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0 && !(line.slice(0, colon) in headers))
      headers[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return { command, headers };
}

function frame(command: string, headers: Record<string, string>, body = ""): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}:${value}`);
  return `${command}\n${lines.join("\n")}\ncontent-length:${Buffer.byteLength(body)}\n\n${body}\u0000`;
}

function mapBody(entries: Array<[string, number | string]>): string {
  return JSON.stringify({
    map: {
      entry: entries.map(([name, value]) =>
        typeof value === "string" ? { string: [name, value] } : { string: name, long: value },
      ),
    },
  });
}

export class FakeStatisticsBroker {
  brokerId = "ID:fake-1";
  readonly queues = new Map<string, FakeQueue>();
  /** When false the broker accepts connections and reads frames but never answers (a hung JVM). */
  answers = true;
  /** Statistics requests answered so far. */
  answered = 0;
  /** STOMP connections currently open. */
  readonly sockets = new Set<Socket>();
  private server: Server | undefined;

  constructor(
    private readonly credentials: { username: string; password: string },
    public port = 0,
  ) {}

  async start(): Promise<number> {
    const server = createServer((socket) => this.onConnection(socket));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    this.port = address.port;
    return this.port;
  }

  /** Stops listening and drops every connection, as a killed broker does. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  queue(name: string): FakeQueue {
    const existing = this.queues.get(name);
    if (existing !== undefined) return existing;
    const created = emptyQueue();
    this.queues.set(name, created);
    return created;
  }

  /** A restart: a new broker id, every counter back to 0, messages still stored. */
  restart(): void {
    this.brokerId = `${this.brokerId}-restarted`;
    for (const queue of this.queues.values()) {
      Object.assign(queue, { ...emptyQueue(), size: queue.size });
    }
  }

  private onConnection(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => undefined);
    let buffer = "";
    let subscription: { id: string; destination: string } | undefined;
    let messageId = 0;
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (let end = buffer.indexOf("\u0000"); end !== -1; end = buffer.indexOf("\u0000")) {
        const received = parseFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 1);
        if (!this.answers) continue;
        const reply = (body: string) => {
          if (subscription === undefined) return;
          messageId += 1;
          socket.write(
            frame(
              "MESSAGE",
              {
                subscription: subscription.id,
                "message-id": `ID:fake:${messageId}`,
                destination: subscription.destination,
                "correlation-id": received.headers["correlation-id"] ?? "",
              },
              body,
            ),
          );
        };
        if (received.command === "CONNECT" || received.command === "STOMP") {
          const { login, passcode } = received.headers;
          if (login !== this.credentials.username || passcode !== this.credentials.password) {
            socket.end(frame("ERROR", { message: "User name [x] or password is invalid." }));
          } else {
            socket.write(frame("CONNECTED", { version: "1.1", "heart-beat": "0,0" }));
          }
        } else if (received.command === "SUBSCRIBE") {
          subscription = { id: received.headers.id ?? "", destination: received.headers.destination ?? "" };
        } else if (received.command === "SEND") {
          const destination = received.headers.destination;
          if (destination === "/queue/ActiveMQ.Statistics.Broker") {
            reply(this.brokerReply());
          } else if (destination === "/queue/ActiveMQ.Statistics.Destination.>") {
            for (const [name, queue] of this.queues) reply(this.queueReply(name, queue));
            reply(`{"map":""}`);
          }
          this.answered += 1;
        }
      }
    });
  }

  private brokerReply(): string {
    const all = [...this.queues.values()];
    const sum = (pick: (queue: FakeQueue) => number) => all.reduce((total, queue) => total + pick(queue), 0);
    return mapBody([
      ["brokerId", this.brokerId],
      ["brokerName", "fake"],
      ["size", sum((queue) => queue.size)],
      ["enqueueCount", sum((queue) => queue.enqueueCount)],
      ["dequeueCount", sum((queue) => queue.dequeueCount)],
      // The collector's own reply subscription counts as a consumer on a real broker.
      ["consumerCount", sum((queue) => queue.consumerCount) + 1],
      ["producerCount", 0],
      ["storePercentUsage", 2],
      ["tempPercentUsage", 0],
    ]);
  }

  private queueReply(name: string, queue: FakeQueue): string {
    return mapBody([
      ["brokerId", this.brokerId],
      ["destinationName", name.startsWith("ID:") ? `temp-queue://${name}` : `queue://${name}`],
      ["size", queue.size],
      ["enqueueCount", queue.enqueueCount],
      ["dequeueCount", queue.dequeueCount],
      ["dispatchCount", queue.dispatchCount],
      ["expiredCount", queue.expiredCount],
      ["inflightCount", queue.inflightCount],
      ["consumerCount", queue.consumerCount],
      ["producerCount", 0],
      ["averageEnqueueTime", 0],
      ["memoryPercentUsage", 0],
    ]);
  }
}
