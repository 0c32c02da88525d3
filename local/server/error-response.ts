import type { AwsServiceError } from "./aws-error.js";
import type { AwsResponse, WireProtocol } from "./service.js";
import { xmlEscape } from "./xml-escape.js";

/** An error as the protocol's AWS services write it, so SDK clients raise the same exception class. */
export function errorResponse(
  protocol: WireProtocol,
  error: AwsServiceError,
  requestId: string,
): AwsResponse {
  const headers = { "x-amzn-requestid": requestId, "x-amzn-errortype": error.code };
  switch (protocol) {
    case "rest-json":
      return {
        status: error.status,
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({
          message: error.message,
          ...(error.attribute === undefined ? {} : { errorAttribute: error.attribute }),
        }),
      };
    case "json":
      return {
        status: error.status,
        headers: { ...headers, "content-type": "application/x-amz-json-1.0" },
        body: JSON.stringify({ __type: error.code, message: error.message }),
      };
    case "query":
      return {
        status: error.status,
        headers: { ...headers, "content-type": "text/xml" },
        body:
          `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error>` +
          `<Type>${error.status >= 500 ? "Receiver" : "Sender"}</Type><Code>${xmlEscape(error.code)}</Code>` +
          `<Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
  }
}
