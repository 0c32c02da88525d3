import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsServiceError } from "./aws-error.js";
import { errorResponse } from "./error-response.js";
import type { AwsRequest, AwsResponse, LocalService } from "./service.js";
import { type LocalCredentials, signatureScope, verifySignature } from "./sigv4.js";

export interface ServerOptions {
  /** 127.0.0.1 unless told: the local cloud never listens beyond loopback. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  credentials: LocalCredentials;
  services: LocalService[];
  /** Called for every request that ends in a 5xx, with the error (for the operator's log). */
  onInternalError?: (error: unknown, request: AwsRequest) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

async function readBody(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of message) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new AwsServiceError("RequestEntityTooLargeException", "Request too large", 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function headersOf(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return headers;
}

function write(response: ServerResponse, result: AwsResponse, requestId: string) {
  if (result.dropConnection === true) {
    response.socket?.destroy();
    return;
  }
  const body = result.body ?? "";
  response.writeHead(result.status, {
    "x-amzn-requestid": requestId,
    "content-length": Buffer.byteLength(body),
    ...result.headers,
  });
  response.end(body);
}

/**
 * One loopback HTTP endpoint for every emulated service. A request is routed by the signing name in
 * its SigV4 credential scope (as AWS routes by host name), after its signature is verified with the
 * local credentials; errors come back in the service's own wire protocol.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const byName = new Map(options.services.map((service) => [service.signingName, service]));

  const server = createServer(async (message, response) => {
    const requestId = randomUUID();
    const url = new URL(message.url ?? "/", "http://localhost");
    const rawPath = (message.url ?? "/").split("?")[0] ?? "/";
    const headers = headersOf(message);
    const service = byName.get(signatureScope(headers)?.service ?? "");
    const protocol =
      service?.protocolOf?.({ method: message.method ?? "GET", headers }) ?? service?.protocol ?? "json";
    const format = service?.errorFormat;
    let request: AwsRequest | undefined;
    try {
      const body = await readBody(message);
      const scope = await verifySignature(
        { method: message.method ?? "GET", rawPath, query: url.searchParams, headers, body },
        options.credentials,
      );
      if (service === undefined) {
        throw new AwsServiceError(
          "UnknownServiceException",
          `The local cloud does not emulate the service '${scope.service}'. It answers to: ${[...byName.keys()].join(", ")}.`,
          400,
        );
      }
      request = {
        method: message.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers,
        body,
        region: scope.region,
        accessKeyId: scope.accessKeyId,
        requestId,
      };
      write(response, await service.handle(request), requestId);
    } catch (error) {
      if (error instanceof AwsServiceError) {
        write(response, errorResponse(protocol, error, requestId, format), requestId);
        return;
      }
      if (request !== undefined) options.onInternalError?.(error, request);
      const internal = new AwsServiceError(
        "InternalFailure",
        "The request processing has failed because of an unknown error.",
        500,
      );
      write(response, errorResponse(protocol, internal, requestId, format), requestId);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    port,
    close: async () => {
      await Promise.all(options.services.map((service) => service.close?.()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
