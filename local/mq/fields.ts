import { InvalidParameter, InvalidRequestBody, MissingParameter } from "./exceptions.js";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Typed reads of a REST-JSON request body. A member of the wrong type is a BadRequestException whose
 * `errorAttribute` names the member (dotted for nested members, as `configuration.id`).
 */
export class Fields {
  constructor(
    private readonly body: Json,
    private readonly prefix = "",
  ) {}

  /** Parses a request body; an empty body is an empty structure, as the SDK sends for no members. */
  static parse(raw: Buffer): Fields {
    if (raw.length === 0) return new Fields({});
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new InvalidRequestBody("is not valid JSON");
    }
    if (!isObject(parsed)) throw new InvalidRequestBody("must be a JSON object");
    return new Fields(parsed);
  }

  /** The dotted name of a member, for errorAttribute. */
  attribute(name: string): string {
    return `${this.prefix}${name}`;
  }

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  private wrongType(name: string, expected: string): never {
    throw new InvalidParameter(this.attribute(name), `must be ${expected}`);
  }

  string(name: string): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") this.wrongType(name, "a string");
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === "") {
      throw new MissingParameter(this.attribute(name));
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") this.wrongType(name, "a boolean");
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value)) this.wrongType(name, "an integer");
    return value;
  }

  stringList(name: string): string[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      this.wrongType(name, "a list of strings");
    }
    return value as string[];
  }

  stringMap(name: string): Record<string, string> | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value) || !Object.values(value).every((item) => typeof item === "string")) {
      this.wrongType(name, "a map of strings");
    }
    return value as Record<string, string>;
  }

  object(name: string): Fields | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) this.wrongType(name, "a structure");
    return new Fields(value, `${this.attribute(name)}.`);
  }

  objectList(name: string): Fields[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || !value.every(isObject)) this.wrongType(name, "a list of structures");
    return (value as Json[]).map((item) => new Fields(item, `${this.attribute(name)}.`));
  }
}
