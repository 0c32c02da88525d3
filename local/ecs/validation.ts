import { clientException, invalidParameter } from "./errors.js";

type Input = Record<string, unknown>;

export function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidParameter(`${field} must be a string.`);
  return value;
}

export function requiredString(input: Input, field: string): string {
  const value = optionalString(input, field);
  if (value === undefined || value === "") throw invalidParameter(`${field} can not be blank.`);
  return value;
}

export function optionalInteger(input: Input, field: string, min: number, max: number): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(`${field} must be an integer between ${min} and ${max}.`);
  }
  return value;
}

export function optionalStringList(input: Input, field: string): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw invalidParameter(`${field} must be a list of strings.`);
  }
  return value as string[];
}

/** ECS names (clusters, services, families): up to 255 letters, numbers, hyphens and underscores. */
export function checkName(value: string, what: string, error = clientException): string {
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(value)) {
    throw error(
      `${what} name can only contain letters (upper and lower case), numbers, underscores and hyphens, up to 255 characters.`,
    );
  }
  return value;
}

/**
 * ECS's list pagination: `maxResults` (1–100, the operation's default otherwise) and an opaque
 * `nextToken`, here the offset of the next item, bound to the listing it came from.
 */
export function paginate<T>(
  items: T[],
  input: Input,
  listing: string,
  defaultMax: number,
): { page: T[]; nextToken?: string } {
  const max = optionalInteger(input, "maxResults", 1, 100) ?? defaultMax;
  const token = optionalString(input, "nextToken");
  let start = 0;
  if (token !== undefined) {
    try {
      const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
        listing?: unknown;
        offset?: unknown;
      };
      if (parsed.listing !== listing || typeof parsed.offset !== "number") throw new Error("foreign token");
      start = parsed.offset;
    } catch {
      throw invalidParameter("Invalid nextToken.");
    }
  }
  const page = items.slice(start, start + max);
  const next = start + max;
  return {
    page,
    nextToken:
      next < items.length
        ? Buffer.from(JSON.stringify({ listing, offset: next })).toString("base64url")
        : undefined,
  };
}
