/** What a masked value reads as: the field stays visible, its value never does. */
export const MASK = "********";

/** Field names whose values the console never shows: passwords, and secrets of any kind. */
const SECRET_FIELD = /password|secret/i;

/** A copy of a JSON value with every field named like a password or a secret masked, at any depth. Pure. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [key, SECRET_FIELD.test(key) ? MASK : maskSecrets(field)]),
    );
  }
  return value;
}

/**
 * Step input, output or an error's cause, as text fit to show: JSON is parsed, masked and pretty-printed;
 * other text has any `"password": "…"`-like pair masked, since a cause may quote a request. Pure.
 */
export function maskedText(text: string | undefined): string {
  if (text === undefined) return "";
  try {
    return JSON.stringify(maskSecrets(JSON.parse(text)), null, 2);
  } catch {
    return text.replace(
      /("?[\w-]*(?:password|secret)[\w-]*"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|[^\s,;}]+)/gi,
      (_match, key: string) => `${key}"${MASK}"`,
    );
  }
}
