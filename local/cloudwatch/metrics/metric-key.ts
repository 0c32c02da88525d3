import type { Dimension } from "@aws-sdk/client-cloudwatch";

const byName = (a: Dimension, b: Dimension) => {
  const left = a.Name ?? "";
  const right = b.Name ?? "";
  return left < right ? -1 : left > right ? 1 : 0;
};

/** Dimensions in CloudWatch's identity order (by name), so the same set names one metric. */
export const sortedDimensions = (dimensions: Dimension[] | undefined): Dimension[] =>
  (dimensions ?? [])
    .map((dimension) => ({ Name: dimension.Name ?? "", Value: dimension.Value ?? "" }))
    .sort(byName);

/**
 * A metric's identity as one string: namespace, name and dimensions (sorted by name). CloudWatch
 * treats each distinct combination as a separate metric. It is also the JSON of the journal's `m`.
 */
export function metricKey(
  namespace: string,
  metricName: string,
  dimensions: Dimension[] | undefined,
): string {
  const list = dimensions ?? [];
  // Callers nearly always pass dimensions already in order (the collector, the store's own records).
  const sorted = list.every(
    (dimension, index) => index === 0 || byName(list[index - 1] ?? dimension, dimension) <= 0,
  )
    ? list
    : [...list].sort(byName);
  return JSON.stringify([namespace, metricName, sorted.map((d) => [d.Name ?? "", d.Value ?? ""])]);
}
