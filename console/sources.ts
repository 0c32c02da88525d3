import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { SFNClient } from "@aws-sdk/client-sfn";
import type { AwsCredentialIdentity } from "@smithy/types";
import { signedFetch } from "../cli/signed-fetch.js";

/**
 * Where the console reads from, all server-side with the caller's credentials: the mqops HTTP API (signed
 * for execute-api), Step Functions and CloudWatch. Nothing here ever reaches the browser.
 */
export interface ConsoleSources {
  /** GET on the mqops HTTP API: the status and the parsed JSON body. */
  api(path: string): Promise<{ status: number; body: unknown }>;
  sfn: SFNClient;
  cloudwatch: CloudWatchClient;
  /** The project's state machines are `mqops-<stage>-<workflow>`: this is `mqops-<stage>-`. */
  stateMachinePrefix: string;
  /** What the console runs against, shown in its header ("local cloud", "stage prod in eu-west-1"). */
  label: string;
  close(): void;
}

export interface SourcesOptions {
  apiUrl: string;
  region: string;
  stage: string;
  label: string;
  /** The local cloud's endpoint for every AWS service; unset on AWS. */
  endpoint?: string;
  /** Static credentials (the local cloud's); unset, the AWS SDK's default credential chain. */
  credentials?: AwsCredentialIdentity;
}

/** The console's sources for a local cloud or a deployed stage. */
export function consoleSources(options: SourcesOptions): ConsoleSources {
  const clientConfig = {
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  };
  const sfn = new SFNClient(clientConfig);
  const cloudwatch = new CloudWatchClient(clientConfig);
  const apiBase = options.apiUrl.replace(/\/+$/, "");
  return {
    sfn,
    cloudwatch,
    stateMachinePrefix: `mqops-${options.stage}-`,
    label: options.label,
    async api(path) {
      // The SDK's credential chain (env, profile, SSO, instance role) signs the API calls too.
      const credentials = options.credentials ?? (await sfn.config.credentials());
      const response = await signedFetch(`${apiBase}${path}`, {
        method: "GET",
        credentials,
        region: options.region,
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = text === "" ? {} : JSON.parse(text);
      } catch {
        body = { message: text };
      }
      return { status: response.status, body };
    },
    close() {
      sfn.destroy();
      cloudwatch.destroy();
    },
  };
}
