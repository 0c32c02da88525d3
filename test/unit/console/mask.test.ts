import { describe, expect, it } from "vitest";
import { MASK, maskedText, maskSecrets } from "../../../console/mask.js";

describe("maskSecrets", () => {
  it("masks fields named like passwords or secrets at any depth, and keeps the rest", () => {
    const masked = maskSecrets({
      request: { users: [{ username: "app", password: "Hunter-2-Hunter" }] },
      Secrets: ["arn:aws:secretsmanager:x"],
      secretArn: "arn",
      brokerName: "orders",
    });
    expect(masked).toEqual({
      request: { users: [{ username: "app", password: MASK }] },
      Secrets: MASK,
      secretArn: MASK,
      brokerName: "orders",
    });
  });
});

describe("maskedText", () => {
  it("pretty-prints JSON with its passwords masked", () => {
    const text = maskedText('{"user":{"Password":"Hunter-2-Hunter"},"n":1}');
    expect(text).not.toContain("Hunter-2-Hunter");
    expect(text).toContain(`"Password": "${MASK}"`);
    expect(text).toContain('"n": 1');
  });

  it("masks a password quoted inside plain text, such as an error's cause", () => {
    const text = maskedText(
      'invalid user {"username":"a","password":"Hunter-2-Hunter"} refused; password=abc123',
    );
    expect(text).not.toContain("Hunter-2-Hunter");
    expect(text).not.toContain("abc123");
    expect(text).toContain("refused");
  });

  it("is empty for a step that has no input or output yet", () => {
    expect(maskedText(undefined)).toBe("");
  });
});
