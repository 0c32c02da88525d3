import type { Tag } from "@aws-sdk/client-cloudwatch";
import { invalidParameterValue, missingParameter } from "./errors.js";

/** Tags as CloudWatch takes them: keys 1-128 characters, not `aws:`, values up to 256, at most 50. */
export function validateTags(value: Tag[] | undefined, required = false): { Key: string; Value: string }[] {
  if (value === undefined || value === null) {
    if (required) throw missingParameter("Tags");
    return [];
  }
  if (!Array.isArray(value)) throw invalidParameterValue("The value for parameter Tags is not valid.");
  if (value.length > 50)
    throw invalidParameterValue("The collection Tags must not have a size greater than 50.");
  return value.map((tag, index) => {
    const key = tag?.Key;
    const tagValue = tag?.Value;
    if (typeof key !== "string" || key.length === 0) throw missingParameter(`Tags.member.${index + 1}.Key`);
    if (typeof tagValue !== "string") throw missingParameter(`Tags.member.${index + 1}.Value`);
    if (key.length > 128 || tagValue.length > 256)
      throw invalidParameterValue(`The tag ${key} is too long: keys are at most 128 characters, values 256.`);
    if (key.toLowerCase().startsWith("aws:"))
      throw invalidParameterValue(`Tag keys starting with "aws:" are reserved: ${key}.`);
    return { Key: key, Value: tagValue };
  });
}
