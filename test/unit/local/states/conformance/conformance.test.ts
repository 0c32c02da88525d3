import { afterAll, describe, expect, it } from "vitest";
import { CASES } from "./cases.js";
import { KNOWN_DIFFERENCES } from "./known-differences.js";
import { ConformanceRunner } from "./runner.js";

const runner = new ConformanceRunner();
afterAll(() => runner.close());

describe("local Step Functions answers the documented cases as AWS does", () => {
  for (const testCase of CASES) {
    const known = KNOWN_DIFFERENCES.has(testCase.name);
    it(`${testCase.name}${known ? " (known difference, listed in the README)" : ""}`, async () => {
      const result = await runner.run(testCase);
      // A known difference must still differ: once fixed, it leaves the list (and the README).
      expect(result.passed ? [] : result.differences, testCase.source).toEqual(
        known ? result.differences : [],
      );
      if (known) expect(result.passed).toBe(false);
    });
  }
});
