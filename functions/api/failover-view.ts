/**
 * What GET /brokers/{id} shows of failover detection: the active instance as last recorded, the
 * time of the last failover and of the last check. Pure; undefined before the first check.
 */
export function failoverView(item: Record<string, unknown> | undefined) {
  if (item === undefined) return undefined;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const brokerId = text(item.brokerId) ?? "";
  const active = typeof item.activeInstance === "number" ? item.activeInstance : undefined;
  return {
    status: text(item.status),
    activeInstance:
      active === undefined
        ? undefined
        : { instance: active, name: `${brokerId}-${active}`, endpoint: text(item.activeEndpoint) },
    lastFailoverAt: text(item.lastFailoverAt),
    lastCheckAt: text(item.lastCheckAt),
    flapping: item.flapping === true,
  };
}
