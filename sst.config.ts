/// <reference path="./.sst/platform/config.d.ts" />

// Stages whose data must survive `sst remove` (and be protected from it).
const PRODUCTION_STAGES = ["production", "prod"];

export default $config({
  app(input) {
    const stage = input?.stage ?? "dev";
    const production = PRODUCTION_STAGES.includes(stage);
    return {
      name: "mqops",
      home: "aws",
      removal: production ? "retain" : "remove",
      protect: production,
      providers: {
        aws: { defaultTags: { tags: { "mqops:app": "mqops", "mqops:stage": stage } } },
      },
    };
  },
  async run() {
    // Dynamic imports: infra/ declares resources when it loads, with globals SST sets up for run().
    const { stateTable } = await import("./infra/storage.js");
    const { notificationsTopic } = await import("./infra/notifications.js");
    const { stateMachines } = await import("./infra/workflows.js");
    const { api } = await import("./infra/api.js");
    await import("./infra/triggers.js");
    return {
      api: api.url,
      stateTable: stateTable.name,
      notificationsTopic: notificationsTopic.arn,
      ...Object.fromEntries(
        Object.entries(stateMachines).map(([name, machine]) => [`${name}StateMachine`, machine.arn]),
      ),
    };
  },
});
