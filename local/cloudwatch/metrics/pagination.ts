import { createHash } from "node:crypto";

/**
 * Opaque NextToken values: the offset to continue from, bound to a fingerprint of the request so a
 * token is refused by a different request (as AWS refuses a token from another query).
 */
export function fingerprint(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, 16);
}

export const encodeToken = (offset: number, requestFingerprint: string): string =>
  Buffer.from(JSON.stringify({ o: offset, f: requestFingerprint })).toString("base64url");

/** The offset a token continues from, or undefined when the token is not one of this request's. */
export function decodeToken(token: string, requestFingerprint: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (parsed === null || typeof parsed !== "object") return undefined;
    const { o, f } = parsed as { o?: unknown; f?: unknown };
    return typeof o === "number" && Number.isInteger(o) && o >= 0 && f === requestFingerprint ? o : undefined;
  } catch {
    return undefined;
  }
}
