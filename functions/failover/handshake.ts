import net from "node:net";
import tls from "node:tls";
import type { InstanceProbe, ProbeOutcome } from "./detector.js";

/**
 * Protocol handshakes that tell an active ActiveMQ instance from a standby without credentials.
 * A TCP connect alone proves nothing (a load balancer or a half-started broker may accept it): the
 * instance must speak. OpenWire: the broker sends its WireFormatInfo (magic `ActiveMQ`) as soon as a
 * connection opens. STOMP: the broker answers CONNECT with CONNECTED, or with ERROR when the login is
 * refused, which still proves a broker serving STOMP.
 */

export interface ProbeTarget {
  instance: number;
  endpoint: string;
  protocol: "openwire" | "stomp";
  host: string;
  port: number;
  tls: boolean;
}

const ENDPOINT = /^([a-z+]+):\/\/([^:/?]+):(\d+)/;
const OPENWIRE_SCHEMES = new Set(["tcp", "nio", "ssl", "nio+ssl", "auto", "auto+ssl", "auto+nio+ssl"]);
const STOMP_SCHEMES = new Set(["stomp", "stomp+nio", "stomp+ssl", "stomp+nio+ssl"]);

/** The endpoint of an instance to probe: OpenWire if it lists one, else STOMP. Pure. */
export function probeTarget(instance: number, endpoints: readonly string[]): ProbeTarget | undefined {
  const parsed = endpoints.flatMap((endpoint) => {
    const match = ENDPOINT.exec(endpoint);
    if (match === null) return [];
    const [, scheme = "", host = "", port = ""] = match;
    const protocol = OPENWIRE_SCHEMES.has(scheme)
      ? "openwire"
      : STOMP_SCHEMES.has(scheme)
        ? "stomp"
        : undefined;
    if (protocol === undefined) return [];
    return [{ instance, endpoint, protocol, host, port: Number(port), tls: scheme.endsWith("ssl") } as const];
  });
  return parsed.find((target) => target.protocol === "openwire") ?? parsed[0];
}

const OPENWIRE_MAGIC = Buffer.from("ActiveMQ", "latin1");
const WIREFORMAT_INFO_TYPE = 1;

/** Whether the first bytes a broker sent are an OpenWire WireFormatInfo frame. Pure. */
export function isWireFormatInfo(bytes: Buffer): boolean | undefined {
  // [4-byte size][1-byte type = 1][8 bytes "ActiveMQ"]…
  if (bytes.length < 13) return undefined;
  return bytes[4] === WIREFORMAT_INFO_TYPE && bytes.subarray(5, 13).equals(OPENWIRE_MAGIC);
}

/** Whether the first bytes a broker sent answer a STOMP CONNECT (CONNECTED or ERROR). Pure. */
export function isStompReply(bytes: Buffer): boolean | undefined {
  const text = bytes.toString("latin1").replace(/^[\r\n]+/, "");
  const newline = text.indexOf("\n");
  if (newline < 0) return text.length > 16 ? false : undefined;
  const command = text.slice(0, newline).replace(/\r$/, "");
  return command === "CONNECTED" || command === "ERROR";
}

const STOMP_CONNECT = "CONNECT\naccept-version:1.0,1.1,1.2\nhost:/\nheart-beat:0,0\n\n\0";

function outcomeOf(error: NodeJS.ErrnoException): ProbeOutcome {
  return error.code === "ECONNREFUSED" ? "refused" : "error";
}

/**
 * One handshake with one instance, bounded by `timeoutMs` from the first byte sent to the reply
 * (a standby's port may accept and then say nothing). Never throws: the outcome is the evidence.
 */
export function handshake(target: ProbeTarget, timeoutMs: number): Promise<InstanceProbe> {
  const started = performance.now();
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let done = false;
    const socket = target.tls
      ? tls.connect({ host: target.host, port: target.port, servername: target.host })
      : net.connect({ host: target.host, port: target.port });
    const finish = (outcome: ProbeOutcome, detail?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({
        instance: target.instance,
        endpoint: target.endpoint,
        protocol: target.protocol,
        outcome,
        latencyMs: performance.now() - started,
        ...(detail === undefined ? {} : { detail }),
      });
    };
    const timer = setTimeout(
      () => finish("timeout", `no ${target.protocol} handshake within ${timeoutMs} ms`),
      timeoutMs,
    );
    socket.once(target.tls ? "secureConnect" : "connect", () => {
      if (target.protocol === "stomp") socket.write(STOMP_CONNECT);
    });
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const verdict = target.protocol === "openwire" ? isWireFormatInfo(received) : isStompReply(received);
      if (verdict === true) finish("answered");
      else if (verdict === false) finish("error", `not a ${target.protocol} reply`);
    });
    socket.on("error", (error: NodeJS.ErrnoException) =>
      finish(outcomeOf(error), error.code ?? error.message),
    );
    socket.on("close", () => finish("error", "closed before the handshake completed"));
  });
}
