import { timingSafeEqual } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { AwsServiceError } from "./aws-error.js";
import { NodeSha256 } from "./node-sha256.js";

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  /** The path exactly as it came on the wire (still percent-encoded), without the query. */
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

export interface SignatureScope {
  accessKeyId: string;
  region: string;
  service: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;
/** AWS refuses a request whose x-amz-date is more than 15 minutes from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/** The credential scope of a request's Authorization header, or undefined when it has none. */
export function signatureScope(headers: Record<string, string>): SignatureScope | undefined {
  const match = AUTHORIZATION.exec(headers.authorization ?? "");
  if (match === null) return undefined;
  const [, accessKeyId = "", , region = "", service = ""] = match;
  return { accessKeyId, region, service };
}

const forbidden = (code: string, message: string) => new AwsServiceError(code, message, 403);

/** `20261125T091300Z` → Date. */
function parseAmzDate(value: string | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? "");
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0));
}

/**
 * Verifies a request's SigV4 signature (header form, as the AWS SDKs and CLI send it) by signing the
 * same canonical request again with the local secret key. Throws AWS's 403 errors:
 * MissingAuthenticationTokenException, IncompleteSignatureException, UnrecognizedClientException,
 * InvalidSignatureException.
 */
export async function verifySignature(
  request: SignedRequest,
  credentials: LocalCredentials,
  now = new Date(),
): Promise<SignatureScope> {
  const authorization = request.headers.authorization;
  if (authorization === undefined || authorization === "") {
    throw forbidden("MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  const match = AUTHORIZATION.exec(authorization);
  if (match === null) {
    throw forbidden(
      "IncompleteSignatureException",
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters with AWS4-HMAC-SHA256. Authorization=${authorization.split(" ")[0]}`,
    );
  }
  const [
    ,
    accessKeyId = "",
    shortDate = "",
    region = "",
    service = "",
    signedHeaderList = "",
    signature = "",
  ] = match;
  if (accessKeyId !== credentials.accessKeyId) {
    throw forbidden("UnrecognizedClientException", "The security token included in the request is invalid.");
  }
  const signingDate = parseAmzDate(request.headers["x-amz-date"]);
  if (signingDate === undefined || !request.headers["x-amz-date"]?.startsWith(shortDate)) {
    throw forbidden(
      "IncompleteSignatureException",
      "Date must be in ISO-8601 'basic format'. Got an X-Amz-Date that is missing or does not match the credential scope.",
    );
  }
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
    throw forbidden(
      "InvalidSignatureException",
      `Signature expired: ${request.headers["x-amz-date"]} is now earlier or later than 15 minutes from the server's time.`,
    );
  }
  const signedHeaders = signedHeaderList.split(";");
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, request.headers[name] ?? ""]));
  const signer = new SignatureV4({
    credentials,
    region,
    service,
    sha256: NodeSha256,
    uriEscapePath: service !== "s3",
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: "http:",
      hostname: (request.headers.host ?? "").split(":")[0] ?? "",
      path: request.rawPath,
      query: Object.fromEntries(
        [...new Set(request.query.keys())].map((key) => {
          const values = request.query.getAll(key);
          return [key, values.length === 1 ? (values[0] ?? "") : values];
        }),
      ),
      headers,
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expected = AUTHORIZATION.exec(String(signed.headers.authorization ?? ""))?.[6] ?? "";
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw forbidden(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
  return { accessKeyId, region, service };
}
