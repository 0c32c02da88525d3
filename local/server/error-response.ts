import type { AwsServiceError } from "./aws-error.js";
import type { AwsResponse, ErrorFormat, WireProtocol } from "./service.js";
import { xmlEscape } from "./xml-escape.js";

const SNS_NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

/** An error as the protocol's AWS services write it, so SDK clients raise the same exception class. */
export function errorResponse(
  protocol: WireProtocol,
  error: AwsServiceError,
  requestId: string,
  format: ErrorFormat = {},
): AwsResponse {
  const headers = { "x-amzn-requestid": requestId, "x-amzn-errortype": error.code };
  const fault = error.status >= 500 ? "Receiver" : "Sender";
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
    case "json": {
      const compatible = format.queryCompatible;
      if (compatible === undefined) {
        return {
          status: error.status,
          headers: { ...headers, "content-type": "application/x-amz-json-1.0" },
          body: JSON.stringify({ __type: error.code, [format.messageMember ?? "message"]: error.message }),
        };
      }
      const shapeName = compatible.shapeNameOf(error.code);
      return {
        status: error.status,
        headers: {
          ...headers,
          "x-amzn-errortype": shapeName,
          "x-amzn-query-error": `${error.code};${fault}`,
          "content-type": "application/x-amz-json-1.0",
        },
        body: JSON.stringify({ __type: shapeName, message: error.message }),
      };
    }
    case "query":
      return {
        status: error.status,
        headers: { ...headers, "content-type": "text/xml" },
        body:
          `<ErrorResponse xmlns="${format.xmlNamespace ?? SNS_NAMESPACE}"><Error>` +
          `<Type>${fault}</Type><Code>${xmlEscape(error.code)}</Code>` +
          `<Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
  }
}
