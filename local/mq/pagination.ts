import { InvalidParameter } from "./exceptions.js";

/**
 * One page of a list, ordered by `key`. The token carries the key of the last item returned, so
 * items created or deleted between pages neither repeat nor shift the rest.
 */
export function page<T>(
  unordered: readonly T[],
  key: (item: T) => string,
  limit: number,
  token: string | null,
): { items: T[]; nextToken?: string } {
  const all = [...unordered].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  let start = 0;
  if (token !== null && token !== "") {
    let after: string;
    try {
      const decoded: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
      if (decoded === null || typeof decoded !== "object" || !("after" in decoded)) throw new Error("shape");
      if (typeof decoded.after !== "string") throw new Error("shape");
      after = decoded.after;
    } catch {
      throw new InvalidParameter("nextToken", "is not a token this API returned");
    }
    start = all.findIndex((item) => key(item) > after);
    if (start === -1) start = all.length;
  }
  const items = all.slice(start, start + limit);
  const last = items.at(-1);
  if (start + limit >= all.length || last === undefined) return { items };
  return { items, nextToken: Buffer.from(JSON.stringify({ after: key(last) })).toString("base64url") };
}
