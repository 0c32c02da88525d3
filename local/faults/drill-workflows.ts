import { createServer, type Server, type Socket } from "node:net";
import type { InstancePorts } from "../brokers/types.js";
import { api, type DrillClients, type DrillTarget, drillRequest, historyWhenEnded } from "./drill.js";

/**
 * What the drills of the workflows other than provisioning share: a broker provisioned for a case,
 * and the broker endpoints the steps talk to on the fake runtime (a STOMP server the maintenance
 * probes log in to, an OpenWire greeting per broker for the failover probes). The run under a case's
 * faults is drill.ts's `runCheckedDrill`.
 */

/** Provisions a broker through the HTTP API (no faults in force) and returns its id. */
export async function provisionDrillBroker(
  target: DrillTarget,
  clients: DrillClients,
  brokerName: string,
  deploymentMode: "SINGLE_INSTANCE" | "ACTIVE_STANDBY_MULTI_AZ" = "SINGLE_INSTANCE",
): Promise<string> {
  const started = await api(target, "POST", "/brokers", {
    ...drillRequest(brokerName, brokerName),
    deploymentMode,
  });
  if (started.status !== 202)
    throw new Error(`POST /brokers: ${started.status} ${JSON.stringify(started.body)}`);
  const events = await historyWhenEnded(clients.sfn, String(started.body.executionArn));
  const output = events.find((event) => event.type === "ExecutionSucceeded")?.executionSucceededEventDetails
    ?.output;
  if (output === undefined) throw new Error(`provisioning ${brokerName} did not succeed`);
  return (JSON.parse(output) as { brokerId: string }).brokerId;
}

/**
 * Loopback servers that greet like an ActiveMQ instance's OpenWire transport (a WireFormatInfo frame
 * as soon as a connection opens), one per broker, so the failover probes see an active instance
 * until `silence` stops it.
 */
export class OpenWireGreeters {
  private readonly servers = new Map<number, { server: Server; sockets: Set<Socket> }>();

  async open(): Promise<number> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
      // [size][type 1 = WireFormatInfo]["ActiveMQ"][version]: what handshake.ts reads.
      const frame = Buffer.alloc(17);
      frame.writeUInt32BE(13, 0);
      frame.writeUInt8(1, 4);
      frame.write("ActiveMQ", 5, "latin1");
      frame.writeUInt32BE(12, 13);
      socket.write(frame);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    this.servers.set(port, { server, sockets });
    return port;
  }

  /** The instance behind this port stops answering (its port is closed: connections are refused). */
  async silence(port: number): Promise<void> {
    const entry = this.servers.get(port);
    if (entry === undefined) return;
    this.servers.delete(port);
    for (const socket of entry.sockets) socket.destroy();
    await new Promise<void>((resolve) => entry.server.close(() => resolve()));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.servers.keys()].map((port) => this.silence(port)));
  }
}

/** A port nothing listens on (a standby instance: it refuses connections). */
export const CLOSED_PORT = 1;

/**
 * The ports a drill broker's instances get on the fake runtime: the first instance is the active
 * one (OpenWire greets, STOMP is the shared fake broker), the others are standbys that refuse.
 */
export async function drillPorts(
  allocated: InstancePorts[],
  stompPort: number,
  greeters: OpenWireGreeters,
): Promise<InstancePorts[]> {
  return Promise.all(
    allocated.map(async (_, index) =>
      index === 0
        ? { openwire: await greeters.open(), stomp: stompPort }
        : { openwire: CLOSED_PORT, stomp: CLOSED_PORT },
    ),
  );
}
