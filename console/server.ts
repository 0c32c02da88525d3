import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { access, cookieName, csrfAllowed, csrfToken, hostAllowed, newToken } from "./auth.js";
import { ConsoleHttpError } from "./errors.js";
import { type Html, html } from "./html.js";
import { page } from "./pages/layout.js";
import { renderPage } from "./routes.js";
import type { ConsoleSources } from "./sources.js";

export interface ConsoleServerOptions {
  sources: ConsoleSources;
  /** A loopback address (127.0.0.1 unless told): the console refuses to listen anywhere else. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Generated unless given. */
  token?: string;
  /** Called with errors that became 5xx pages (for the operator's log). */
  onError?: (error: unknown) => void;
}

export interface ConsoleServer {
  /** The console's address without the token. */
  url: string;
  /** The address to open: it carries the token, which the first visit turns into a cookie. */
  tokenUrl: string;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The only files served: the console's own and uPlot's, from the package (no CDN). */
const ASSETS: Record<string, { file: string; type: string }> = {
  "console.css": { file: path.join(HERE, "assets/console.css"), type: "text/css; charset=utf-8" },
  "console.js": { file: path.join(HERE, "assets/console.js"), type: "text/javascript; charset=utf-8" },
  "uPlot.min.css": { file: require.resolve("uplot/dist/uPlot.min.css"), type: "text/css; charset=utf-8" },
  "uPlot.iife.min.js": {
    file: require.resolve("uplot/dist/uPlot.iife.min.js"),
    type: "text/javascript; charset=utf-8",
  },
};

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, extra = {}) {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": type,
    "content-length": Buffer.byteLength(body),
    ...extra,
  });
  response.end(body);
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  500: "Internal error",
  502: "Upstream error",
};

/**
 * The web console on loopback: server-rendered pages from the mqops API, Step Functions and CloudWatch,
 * read server-side with the sources' credentials. Every request needs the token (URL, then cookie).
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host)) throw new Error(`the console listens on loopback only, not ${host}`);
  const token = options.token ?? newToken();
  const csrf = csrfToken(token);
  let port = 0;

  const errorPage = (status: number, message: string, signedIn: boolean): string =>
    signedIn
      ? page({
          title: TITLES[status] ?? "Error",
          section: "none",
          source: options.sources.label,
          csrfToken: csrf,
          body: html`<h1>${TITLES[status] ?? "Error"}</h1><p class="error-message">${message}</p>`,
        }).text
      : html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${TITLES[status] ?? "Error"} · mqops console</title></head><body><main><h1>${TITLES[status] ?? "Error"}</h1><p>${message}</p></main></body></html>`
          .text;

  async function handle(message: IncomingMessage, response: ServerResponse) {
    const method = message.method ?? "GET";
    if (!hostAllowed(message.headers.host, port)) {
      send(response, 403, "text/plain; charset=utf-8", "The console answers only on its loopback address.\n");
      return;
    }
    const url = new URL(message.url ?? "/", `http://${message.headers.host}`);
    const granted = access(url, message.headers.cookie, token, port);
    if (granted.kind === "denied") {
      const text = "Open the URL mqops printed: it carries the console's token.";
      send(response, 403, "text/html; charset=utf-8", errorPage(403, text, false));
      return;
    }
    if (granted.kind === "grant") {
      // The token leaves the address bar (and the history) at once; the cookie carries it from here.
      send(response, 303, "text/plain; charset=utf-8", "", {
        location: granted.location,
        "set-cookie": `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
      return;
    }
    const headers = {
      origin: message.headers.origin,
      host: message.headers.host,
      "x-csrf-token": message.headers["x-csrf-token"] as string | undefined,
    };
    if (!csrfAllowed(method, headers, token)) {
      send(response, 403, "text/html; charset=utf-8", errorPage(403, "Missing or wrong CSRF token.", true));
      return;
    }
    if (method !== "GET" && method !== "HEAD") {
      // No page changes state yet; one that does passes the CSRF check above first.
      send(
        response,
        405,
        "text/html; charset=utf-8",
        errorPage(405, `${method} is not allowed here.`, true),
        {
          allow: "GET, HEAD",
        },
      );
      return;
    }
    if (url.pathname === "/") {
      send(response, 302, "text/plain; charset=utf-8", "", { location: "/brokers" });
      return;
    }
    if (url.pathname.startsWith("/assets/")) {
      const asset = ASSETS[url.pathname.slice("/assets/".length)];
      if (asset === undefined) throw new ConsoleHttpError(404, "No such file.");
      send(response, 200, asset.type, await readFile(asset.file));
      return;
    }
    const content = await renderPage(options.sources, url.pathname, url.searchParams, new Date());
    const body: Html = page({ ...content, source: options.sources.label, csrfToken: csrf });
    send(response, 200, "text/html; charset=utf-8", body.text);
  }

  const server = createServer((message, response) => {
    handle(message, response).catch((error: unknown) => {
      const known = error instanceof ConsoleHttpError;
      const status = known ? error.status : 500;
      if (!known) options.onError?.(error);
      const text = known ? error.message : "The console could not read what this page shows; see the log.";
      if (!response.headersSent)
        send(response, status, "text/html; charset=utf-8", errorPage(status, text, true));
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url: base,
    tokenUrl: `${base}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
