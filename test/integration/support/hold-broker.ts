/**
 * Child process for the runtime's crash tests: starts the broker described by argv[3] (JSON
 * BrokerRunSpec) under data directory argv[2], prints its status as one JSON line, then idles
 * until it is killed.
 */
import { ActiveMqRuntime } from "../../../local/brokers/runtime.js";
import type { BrokerRunSpec } from "../../../local/brokers/types.js";

const [dataDir, specJson] = process.argv.slice(2);
if (dataDir === undefined || specJson === undefined) {
  throw new Error("usage: hold-broker.ts <dataDir> <BrokerRunSpec as JSON>");
}
const spec = JSON.parse(specJson) as BrokerRunSpec;
const runtime = new ActiveMqRuntime({ dataDir });
await runtime.start(spec);
process.stdout.write(`${JSON.stringify(runtime.status(spec.brokerId))}\n`);
setInterval(() => undefined, 60_000);
