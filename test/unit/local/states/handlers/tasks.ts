/** Tiny Lambda handlers the local Step Functions tests bind their workflows to. */

export class OrderRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OrderRejectedError";
  }
}

export async function greet(event: { name?: string }) {
  return { greeting: `hello ${event.name ?? "nobody"}` };
}

export async function reject(event: { orderId?: string }) {
  throw new OrderRejectedError(`order ${event.orderId ?? "?"} rejected`);
}

export class FlakyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlakyError";
  }
}

const seen = new Set<string>();

/** Fails the first call for each key, then succeeds: something for Retry to retry. */
export async function flaky(event: { key: string }) {
  if (!seen.has(event.key)) {
    seen.add(event.key);
    throw new FlakyError(`first call for ${event.key}`);
  }
  return { attempts: 2 };
}
