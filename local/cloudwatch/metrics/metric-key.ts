import type { Dimension } from "@aws-sdk/client-cloudwatch";

/** Dimensions in CloudWatch's identity order (by name), so the same set names one metric. */
export const sortedDimensions = (dimensions: Dimension[] | undefined): Dimension[] =>
  [...(dimensions ?? [])]
    .map((dimension) => ({ Name: dimension.Name ?? "", Value: dimension.Value ?? "" }))
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));

/**
 * A metric's identity as one string: namespace, name and dimensions (sorted). CloudWatch treats each
 * distinct combination as a separate metric.
 */
export const metricKey = (
  namespace: string,
  metricName: string,
  dimensions: Dimension[] | undefined,
): string =>
  JSON.stringify([namespace, metricName, sortedDimensions(dimensions).map((d) => [d.Name, d.Value])]);
