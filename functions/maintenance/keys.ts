/**
 * State-table keys of a maintenance run: one item for the run (`RUN`) and one per broker
 * (`BROKER#<id>`), under `MAINTENANCE#<execution name>`. GET /maintenance/{id} queries the partition.
 */
export const maintenancePartition = (runId: string) => `MAINTENANCE#${runId}`;
export const maintenanceRunKey = (runId: string) => ({ pk: maintenancePartition(runId), sk: "RUN" });
export const maintenanceBrokerKey = (runId: string, brokerId: string) => ({
  pk: maintenancePartition(runId),
  sk: `BROKER#${brokerId}`,
});
