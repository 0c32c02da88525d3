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
