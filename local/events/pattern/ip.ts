import { isIP } from "node:net";

/** An IP address literal as a number (IPv4: 32 bits, IPv6: 128), for Event Ruler's `cidr` filter. */
export function ipToBigInt(text: string): { version: 4 | 6; value: bigint } | undefined {
  const version = isIP(text);
  if (version === 4) {
    return {
      version,
      value: text.split(".").reduce((total, part) => (total << 8n) | BigInt(Number(part)), 0n),
    };
  }
  if (version !== 6) return undefined;
  let address = text;
  // An IPv4 tail (`::ffff:10.0.0.1`) is two groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (tail?.[1] !== undefined) {
    const v4 = ipToBigInt(tail[1])?.value ?? 0n;
    address = `${address.slice(0, -tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", rest] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = rest === undefined || rest === "" ? [] : rest.split(":");
  const groups =
    rest === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return {
    version,
    value: groups.reduce((total, group) => (total << 16n) | BigInt(Number.parseInt(group, 16)), 0n),
  };
}

export interface IpRange {
  version: 4 | 6;
  bottom: bigint;
  top: bigint;
}

/**
 * `a.b.c.d/n` as Event Ruler reads it: from the address as written (not masked) up to the address
 * with its host bits set. The reasons are Ruler's.
 */
export function parseCidr(text: string): IpRange | string {
  const parts = text.split("/");
  if (parts.length !== 2) return "Malformed CIDR, one '/' required";
  const [address = "", maskText = ""] = parts;
  if (!/^-?\d+$/.test(maskText)) return "Malformed CIDR, mask bits must be an integer";
  const mask = Number(maskText);
  if (mask < 0) return "Malformed CIDR, mask bits must not be negative";
  const ip = ipToBigInt(address);
  if (ip === undefined) return `Invalid IP address: ${address}`;
  const bits = ip.version === 4 ? 32 : 128;
  if (mask > bits - 1) return `IPv${ip.version} mask bits must be < ${bits}`;
  const hostBits = (1n << BigInt(bits - mask)) - 1n;
  return { version: ip.version, bottom: ip.value, top: ip.value | hostBits };
}
