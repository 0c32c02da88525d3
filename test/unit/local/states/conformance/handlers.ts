/** Lambda handlers the conformance cases call: what each does is in its name. */

export class CustomError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CustomError";
  }
}

export async function echo(event: unknown) {
  return event;
}

export async function fail(event: { message?: string }) {
  throw new CustomError(event?.message ?? "it failed");
}

const calls = new Map<string, number>();

/** Fails the first `times` calls for each `key`, then returns `{attempts}`. */
export async function flaky(event: { key: string; times?: number }) {
  const seen = (calls.get(event.key) ?? 0) + 1;
  calls.set(event.key, seen);
  if (seen <= (event.times ?? 1)) throw new CustomError(`attempt ${seen} failed`);
  return { attempts: seen };
}
