/**
 * What every emulated AWS service implements. The server (local/server/server.ts) verifies the
 * request's SigV4 signature, picks the service by the signing name in the credential scope
 * (`mq`, `states`, `dynamodb`, `secretsmanager`, `sns`, `execute-api`), and hands it the request.
 */
export interface AwsRequest {
  method: string;
  /** The path without the query string, percent-decoded per segment by the service if it needs to. */
  path: string;
  query: URLSearchParams;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
  /** From the credential scope. */
  region: string;
  accessKeyId: string;
  /** A fresh id per request (x-amzn-RequestId). */
  requestId: string;
}

export interface AwsResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Close the connection instead of answering (fault injection: a lost response). */
  dropConnection?: boolean;
}

/** How a service's requests and errors are encoded on the wire. */
export type WireProtocol = "rest-json" | "json" | "query";

export interface ErrorFormat {
  /** The XML namespace of the service's Query `<ErrorResponse>` (SNS's when absent). */
  xmlNamespace?: string;
  /**
   * A JSON service with Smithy's `awsQueryCompatible` trait (CloudWatch): JSON errors carry
   * `x-amzn-query-error: <Query code>;Sender|Receiver`, and `__type` is the error shape's name,
   * which this maps from the Query code (the code itself when absent from the map).
   */
  queryCompatible?: { shapeNameOf(code: string): string };
  /**
   * The JSON member the message goes in: the error shapes' own member name in the service model,
   * `Message` for Secrets Manager (`message` when absent, as most JSON services write it).
   */
  messageMember?: "message" | "Message";
}

export interface LocalService {
  /** The SigV4 signing name this service answers to. */
  signingName: string;
  /** Decides the shape of errors the server writes for it (signature failures, crashes). */
  protocol: WireProtocol;
  /**
   * For a service that speaks more than one protocol on its signing name (CloudWatch: AWS JSON 1.0
   * and Query), the protocol of this request; `protocol` when absent.
   */
  protocolOf?(request: { method: string; headers: Record<string, string> }): WireProtocol;
  /** How its errors are written beyond the protocol (Query namespace, awsQueryCompatible JSON). */
  errorFormat?: ErrorFormat;
  handle(request: AwsRequest): Promise<AwsResponse>;
  /** Stops whatever the service started (processes, timers); called once on shutdown. */
  close?(): Promise<void>;
}

/** The account the local cloud runs as. */
export const LOCAL_ACCOUNT = "000000000000";
