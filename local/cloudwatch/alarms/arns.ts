import { LOCAL_ACCOUNT } from "../../server/service.js";

export const alarmArn = (region: string, name: string) =>
  `arn:aws:cloudwatch:${region}:${LOCAL_ACCOUNT}:alarm:${name}`;

/** The alarm name an alarm ARN of this region and account names, or undefined. */
export function alarmNameOf(region: string, arn: string): string | undefined {
  const prefix = alarmArn(region, "");
  return arn.startsWith(prefix) && arn.length > prefix.length ? arn.slice(prefix.length) : undefined;
}

/** Region names as CloudWatch writes them in SNS notifications ("Region": "US East (N. Virginia)"). */
const REGION_NAMES: Record<string, string> = {
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-west-1": "US West (N. California)",
  "us-west-2": "US West (Oregon)",
  "ca-central-1": "Canada (Central)",
  "eu-west-1": "EU (Ireland)",
  "eu-west-2": "EU (London)",
  "eu-west-3": "EU (Paris)",
  "eu-central-1": "EU (Frankfurt)",
  "eu-north-1": "EU (Stockholm)",
  "eu-south-1": "EU (Milan)",
  "ap-northeast-1": "Asia Pacific (Tokyo)",
  "ap-northeast-2": "Asia Pacific (Seoul)",
  "ap-northeast-3": "Asia Pacific (Osaka)",
  "ap-southeast-1": "Asia Pacific (Singapore)",
  "ap-southeast-2": "Asia Pacific (Sydney)",
  "ap-south-1": "Asia Pacific (Mumbai)",
  "sa-east-1": "South America (Sao Paulo)",
};

export const regionName = (region: string) => REGION_NAMES[region] ?? region;
