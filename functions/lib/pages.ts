import { callAws } from "./aws-errors.js";

/**
 * Every page of a list that pages with `NextToken` (Amazon MQ's, CloudWatch's), fetched one after
 * another, each call's retryable failures named as callAws names them.
 */
export async function* pages<T extends { NextToken?: string | undefined }>(
  operation: string,
  fetch: (nextToken: string | undefined) => Promise<T>,
): AsyncGenerator<T> {
  let nextToken: string | undefined;
  do {
    const page = await callAws(operation, () => fetch(nextToken));
    yield page;
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
}
