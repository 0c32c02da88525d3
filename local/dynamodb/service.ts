import { mkdirSync } from "node:fs";
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import dynalite from "dynalite";
import type { AwsResponse, LocalService } from "../server/service.js";

/**
 * DynamoDB is dynalite (a DynamoDB implementation on LevelDB, stored under `<dataDir>/dynamodb`),
 * listening on a private loopback port; the endpoint verifies the signature, then forwards the
 * request unchanged, so the wire protocol and errors are dynalite's DynamoDB ones.
 */
export async function createDynamoDbService(options: { dataDir: string }): Promise<LocalService> {
  const directory = path.join(options.dataDir, "dynamodb");
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const server: Server = dynalite({ path: directory, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    signingName: "dynamodb",
    protocol: "json",
    handle: (request) =>
      new Promise<AwsResponse>((resolve, reject) => {
        const {
          host: _host,
          "content-length": _length,
          connection: _connection,
          ...headers
        } = request.headers;
        const forwarded = httpRequest(
          {
            host: "127.0.0.1",
            port,
            method: request.method,
            path: "/",
            headers: { ...headers, "content-length": request.body.length },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("error", reject);
            response.on("end", () =>
              resolve({
                status: response.statusCode ?? 500,
                headers: {
                  "content-type": String(response.headers["content-type"] ?? "application/x-amz-json-1.0"),
                  "x-amz-crc32": String(response.headers["x-amz-crc32"] ?? ""),
                },
                body: Buffer.concat(chunks),
              }),
            );
          },
        );
        forwarded.on("error", reject);
        forwarded.end(request.body);
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
