/** The account, region and partition being deployed to, for ARNs known before their resources exist. */
export const partition = aws.getPartitionOutput().partition;
export const region = aws.getRegionOutput().region;
export const accountId = aws.getCallerIdentityOutput().accountId;

/** A state machine's ARN from its physical name: no dependency on the resource, so no cycles. */
export const stateMachineArn = (name: string) =>
  $interpolate`arn:${partition}:states:${region}:${accountId}:stateMachine:${name}`;

/** Every execution of one state machine (DescribeExecution, GetExecutionHistory). */
export const executionsArn = (name: string) =>
  $interpolate`arn:${partition}:states:${region}:${accountId}:execution:${name}:*`;
