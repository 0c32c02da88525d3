/**
 * The `mqops` command. `mqops up` will start the local cloud (local/: Amazon MQ, Step Functions,
 * DynamoDB, Secrets Manager endpoints and real ActiveMQ brokers); that is issue 5 and is not built yet.
 */
const [command] = process.argv.slice(2);

if (command === "up") {
  console.error(
    [
      "mqops up: the local cloud is not built yet (issue 5).",
      "What runs today: `npm test` runs the provisioning workflow on a real Amazon States Language engine",
      "with every Task bound to its handler in functions/ (test/workflows), and deploys with `npx sst deploy`.",
    ].join("\n"),
  );
  process.exit(1);
}
console.error("usage: mqops up");
process.exit(2);
