/**
 * Stage-aware settings. `sst.config.ts` sets `removal: "retain"` on production stages; SST then keeps
 * DynamoDB tables on `sst remove`, and the state table here also turns on deletion protection.
 */
export const retainData = $app.removal !== "remove";

/** Physical name of a resource: `mqops-<stage>-<suffix>`, so two stages never collide. */
export const physicalName = (suffix: string) => `${$app.name}-${$app.stage}-${suffix}`;

/** `failover-check` → `FailoverCheck`: logical names of resources declared per workflow or trigger. */
export const pascalCase = (name: string) =>
  name
    .split(/[-_]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
