import { describe, expect, it } from "vitest";
import { access, cookieName, csrfAllowed, csrfToken, hostAllowed, newToken } from "../../../console/auth.js";

const TOKEN = "token-0123456789";
const PORT = 4567;
const cookie = `${cookieName(PORT)}=${TOKEN}`;

describe("access", () => {
  it("grants the right token in the URL with a redirect that drops it, keeping the rest of the query", () => {
    expect(
      access(new URL(`http://h/executions?status=FAILED&token=${TOKEN}`), undefined, TOKEN, PORT),
    ).toEqual({
      kind: "grant",
      location: "/executions?status=FAILED",
    });
    expect(access(new URL(`http://h/?token=${TOKEN}`), undefined, TOKEN, PORT)).toEqual({
      kind: "grant",
      location: "/brokers",
    });
  });

  it("allows the cookie of this console's port and denies everything else", () => {
    expect(access(new URL("http://h/brokers"), `a=b; ${cookie}`, TOKEN, PORT)).toEqual({ kind: "allowed" });
    expect(access(new URL("http://h/brokers"), undefined, TOKEN, PORT)).toEqual({ kind: "denied" });
    expect(access(new URL("http://h/brokers"), `${cookieName(PORT + 1)}=${TOKEN}`, TOKEN, PORT)).toEqual({
      kind: "denied",
    });
    expect(access(new URL("http://h/brokers?token=wrong"), cookie, TOKEN, PORT)).toEqual({ kind: "denied" });
    expect(access(new URL("http://h/brokers"), `${cookieName(PORT)}=${TOKEN}x`, TOKEN, PORT)).toEqual({
      kind: "denied",
    });
  });
});

describe("hostAllowed", () => {
  it("accepts only this port on loopback names, refusing rebinding names", () => {
    expect(hostAllowed(`127.0.0.1:${PORT}`, PORT)).toBe(true);
    expect(hostAllowed(`localhost:${PORT}`, PORT)).toBe(true);
    expect(hostAllowed(`evil.example:${PORT}`, PORT)).toBe(false);
    expect(hostAllowed("127.0.0.1:1", PORT)).toBe(false);
    expect(hostAllowed(undefined, PORT)).toBe(false);
  });
});

describe("csrfAllowed", () => {
  const host = `127.0.0.1:${PORT}`;
  const origin = `http://${host}`;

  it("lets GET and HEAD through and requires origin and token on anything else", () => {
    expect(csrfAllowed("GET", {}, TOKEN)).toBe(true);
    expect(csrfAllowed("HEAD", {}, TOKEN)).toBe(true);
    expect(csrfAllowed("POST", { host, origin, "x-csrf-token": csrfToken(TOKEN) }, TOKEN)).toBe(true);
    expect(csrfAllowed("POST", { host, origin }, TOKEN)).toBe(false);
    expect(csrfAllowed("POST", { host, "x-csrf-token": csrfToken(TOKEN) }, TOKEN)).toBe(false);
    expect(
      csrfAllowed("DELETE", { host, origin: "http://evil.example", "x-csrf-token": csrfToken(TOKEN) }, TOKEN),
    ).toBe(false);
    expect(csrfAllowed("POST", { host, origin, "x-csrf-token": csrfToken("other") }, TOKEN)).toBe(false);
  });
});

describe("newToken", () => {
  it("is 256 random bits, URL-safe, new each time", () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(token);
  });
});
