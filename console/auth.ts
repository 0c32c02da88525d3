import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A new console token: 32 random bytes, URL-safe (as Jupyter's token, it is the whole credential). */
export const newToken = () => randomBytes(32).toString("base64url");

const same = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * Cookies are not kept apart by port, so each console's cookie is named for its port: two consoles on
 * 127.0.0.1 do not overwrite each other's.
 */
export const cookieName = (port: number) => `mqops_console_${port}`;

export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

export type Access =
  /** The cookie carries the token. */
  | { kind: "allowed" }
  /** The URL carries the token: set the cookie and redirect to the same URL without it. */
  | { kind: "grant"; location: string }
  | { kind: "denied" };

/** Whether a request may see the console: the token in the URL (first visit) or in its cookie. Pure. */
export function access(url: URL, cookieHeader: string | undefined, token: string, port: number): Access {
  const fromUrl = url.searchParams.get("token");
  if (fromUrl !== null) {
    if (!same(fromUrl, token)) return { kind: "denied" };
    const rest = new URLSearchParams(url.searchParams);
    rest.delete("token");
    const query = rest.toString();
    return {
      kind: "grant",
      location: `${url.pathname === "/" ? "/brokers" : url.pathname}${query === "" ? "" : `?${query}`}`,
    };
  }
  const fromCookie = cookieValue(cookieHeader, cookieName(port));
  return fromCookie !== undefined && same(fromCookie, token) ? { kind: "allowed" } : { kind: "denied" };
}

/**
 * A Host header naming this server on loopback: anything else is refused, so a web page on another name
 * that resolves to 127.0.0.1 (DNS rebinding) cannot read the console. Pure.
 */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host !== undefined && [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host);
}

/** The CSRF token pages carry (a meta tag), derived from the console token so no state is kept. */
export const csrfToken = (token: string) =>
  createHmac("sha256", token).update("mqops-console-csrf").digest("base64url");

/**
 * Whether a state-changing request (anything but GET and HEAD) may proceed: it must come from the console's
 * own origin and carry the page's CSRF token in `x-csrf-token`, which another site can neither read nor
 * set on a cross-site request. Pure.
 */
export function csrfAllowed(
  method: string,
  headers: { origin?: string; "x-csrf-token"?: string; host?: string },
  token: string,
): boolean {
  if (method === "GET" || method === "HEAD") return true;
  if (headers.origin === undefined || headers.origin !== `http://${headers.host}`) return false;
  const sent = headers["x-csrf-token"];
  return sent !== undefined && same(sent, csrfToken(token));
}
