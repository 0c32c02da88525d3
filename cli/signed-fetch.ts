import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../local/server/node-sha256.js";

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** fetch() with the request signed by SigV4 for `execute-api`, as IAM-authorized HTTP APIs require. */
export async function signedFetch(
  url: string,
  init: { method: string; body?: string; credentials: SigningCredentials; region: string; service?: string },
): Promise<Response> {
  const target = new URL(url);
  const headers: Record<string, string> = { host: target.host };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const signer = new SignatureV4({
    credentials: init.credentials,
    region: init.region,
    service: init.service ?? "execute-api",
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method: init.method,
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port === "" ? undefined : Number(target.port),
    path: target.pathname,
    query: Object.fromEntries(target.searchParams),
    headers,
    body: init.body,
  });
  const { host: _host, ...sendHeaders } = signed.headers as Record<string, string>;
  return fetch(url, { method: init.method, headers: sendHeaders, body: init.body });
}
