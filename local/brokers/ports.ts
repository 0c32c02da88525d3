import { createServer, type Server, Socket } from "node:net";
import type { InstancePorts } from "./types.js";

export const LOOPBACK = "127.0.0.1";

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function boundPort(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("a TCP server has no port");
  return address.port;
}

/**
 * Free loopback ports, two per instance (OpenWire, STOMP). Every port is held until all are
 * found, so one call never hands out the same port twice.
 */
export async function allocateInstancePorts(instances: number): Promise<InstancePorts[]> {
  const servers: Server[] = [];
  const held = async () => {
    const server = await listen(0);
    servers.push(server);
    return boundPort(server);
  };
  try {
    const allocated: InstancePorts[] = [];
    for (let i = 0; i < instances; i++) allocated.push({ openwire: await held(), stomp: await held() });
    return allocated;
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** One free loopback port (for a server that must know its port before it listens). */
export async function freeLoopbackPort(): Promise<number> {
  const server = await listen(0);
  try {
    return boundPort(server);
  } finally {
    await close(server);
  }
}

/** Whether nothing listens on the loopback port (we can bind it ourselves). */
export async function isPortFree(port: number): Promise<boolean> {
  try {
    await close(await listen(port));
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether something accepts TCP connections on the loopback port. The socket stays open until the
 * server's first bytes arrive (an OpenWire broker greets every connection with its WireFormatInfo;
 * hanging up before that makes ActiveMQ log a warning), or for at most `lingerMs`.
 */
export function acceptsConnections(port: number, timeoutMs = 1_000, lingerMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const refused = () => {
      socket.destroy();
      resolve(false);
    };
    socket.setTimeout(timeoutMs, refused);
    socket.once("error", refused);
    socket.connect({ host: LOOPBACK, port }, () => {
      socket.setTimeout(0);
      socket.removeListener("error", refused);
      socket.on("error", () => socket.destroy());
      const hangUp = setTimeout(() => socket.destroy(), lingerMs);
      hangUp.unref();
      socket.once("data", () => {
        clearTimeout(hangUp);
        socket.destroy();
      });
      socket.unref();
      resolve(true);
    });
  });
}
