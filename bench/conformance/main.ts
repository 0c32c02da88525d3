/**
 * The local Step Functions' conformance: how many of the documented cases
 * (test/unit/local/states/conformance/cases.ts) it answers as AWS does, and what differs in the others.
 */
import { CASES } from "../../test/unit/local/states/conformance/cases.js";
import { ConformanceRunner } from "../../test/unit/local/states/conformance/runner.js";

const runner = new ConformanceRunner();
let passed = 0;
const failures: string[] = [];
for (const testCase of CASES) {
  const result = await runner.run(testCase);
  if (result.passed) passed += 1;
  else
    failures.push(
      `  ✗ ${result.name} (${testCase.source})\n${result.differences.map((line) => `      ${line}`).join("\n")}`,
    );
}
await runner.close();
const rate = (100 * passed) / CASES.length;
console.log(
  `Local Step Functions conformance: ${passed}/${CASES.length} documented cases as AWS answers them (${rate.toFixed(1)}%)`,
);
if (failures.length > 0) console.log(`Differences:\n${failures.join("\n")}`);
