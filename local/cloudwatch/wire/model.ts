import * as cloudwatch from "@aws-sdk/client-cloudwatch";
import { NormalizedSchema } from "@smithy/core/schema";

/**
 * CloudWatch's API model as @aws-sdk/client-cloudwatch ships it (static Smithy schemas): the input and
 * output shape of each operation and the error shapes, so the wire codecs type values from the same
 * model the SDK serialises with instead of a hand-written copy.
 */
export interface OperationModel {
  name: string;
  input: NormalizedSchema;
  output: NormalizedSchema;
}

type Lazy = unknown | (() => unknown);
const resolve = (ref: Lazy): unknown => (typeof ref === "function" ? (ref as () => unknown)() : ref);

const OPERATION = 9;
const ERROR = -3;

const operations = new Map<string, OperationModel>();
/** Query error code (the `awsQueryError` trait) → the error shape's name (the JSON `__type`). */
const errorShapeByCode = new Map<string, string>();

for (const value of Object.values(cloudwatch)) {
  if (!Array.isArray(value)) continue;
  if (value[0] === OPERATION && typeof value[2] === "string") {
    operations.set(value[2], {
      name: value[2],
      input: NormalizedSchema.of(resolve(value[4]) as Parameters<typeof NormalizedSchema.of>[0]),
      output: NormalizedSchema.of(resolve(value[5]) as Parameters<typeof NormalizedSchema.of>[0]),
    });
  } else if (value[0] === ERROR && typeof value[2] === "string") {
    const schema = NormalizedSchema.of(value as Parameters<typeof NormalizedSchema.of>[0]);
    const queryError = schema.getMergedTraits().awsQueryError;
    const code = Array.isArray(queryError) && typeof queryError[0] === "string" ? queryError[0] : value[2];
    errorShapeByCode.set(code, value[2]);
  }
}

/** The model of a CloudWatch operation, or undefined when the API has no such operation. */
export const operationModel = (name: string): OperationModel | undefined => operations.get(name);

/** The error shape name AWS JSON clients expect in `__type` for a Query error code. */
export const errorShapeName = (code: string): string => errorShapeByCode.get(code) ?? code;
