import { randomInt } from "node:crypto";
import { AwsServiceError } from "../server/aws-error.js";

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
/** The punctuation GetRandomPassword draws from, as Secrets Manager documents it. */
const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

const invalidParameter = (message: string) => new AwsServiceError("InvalidParameterException", message);

/**
 * GetRandomPassword: `PasswordLength` (default 32, 1–4096) characters from the classes not excluded,
 * with at least one of each class when `RequireEachIncludedType` (default true).
 */
export function randomPassword(input: Record<string, unknown>): string {
  const length = input.PasswordLength ?? 32;
  if (typeof length !== "number" || !Number.isInteger(length) || length < 1 || length > 4096) {
    throw invalidParameter("Password length must be between 1 and 4096.");
  }
  const excluded = typeof input.ExcludeCharacters === "string" ? input.ExcludeCharacters : "";
  const keep = (characters: string) => [...characters].filter((c) => !excluded.includes(c)).join("");
  const classes = [
    input.ExcludeLowercase === true ? "" : keep(LOWER),
    input.ExcludeUppercase === true ? "" : keep(UPPER),
    input.ExcludeNumbers === true ? "" : keep(DIGITS),
    input.ExcludePunctuation === true ? "" : keep(PUNCTUATION),
    input.IncludeSpace === true ? keep(" ") : "",
  ].filter((characters) => characters !== "");
  const all = classes.join("");
  if (all === "") throw invalidParameter("The password cannot be generated: every character is excluded.");
  const requireEach = input.RequireEachIncludedType !== false;
  if (requireEach && classes.length > length) {
    throw invalidParameter("The password length is too short to include a character of each required type.");
  }
  const pick = (characters: string) => characters.charAt(randomInt(characters.length));
  const chars = Array.from({ length }, () => pick(all));
  if (requireEach) {
    // One character of each class at distinct random places.
    const places = [...chars.keys()];
    for (const characters of classes) {
      const [place] = places.splice(randomInt(places.length), 1);
      if (place !== undefined) chars[place] = pick(characters);
    }
  }
  return chars.join("");
}
