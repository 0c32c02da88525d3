import * as z from "./zod.js";

/**
 * Configuration read from the environment, validated once when a function loads. A bad value stops
 * the function at start (Lambda reports an init error, the local gateway a 500) with a message naming
 * the variable; it never reaches a request, where it would look like the user's RequestValidationError.
 */
export class EnvironmentConfigurationError extends Error {
  readonly variables: string[];
  constructor(problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration from the environment: ${problems
        .map((p) => `environment variable ${p.variable} ${p.message}`)
        .join("; ")}`,
    );
    this.name = "EnvironmentConfigurationError";
    this.variables = problems.map((p) => p.variable);
  }
}

type Env = Record<string, string | undefined>;

/** A variable that must be set to a non-empty value (resource names, ARNs). */
export const requiredText = () =>
  z.string({ error: "is required" }).check(z.trim(), z.minLength(1, "is required (it is empty)"));

/**
 * A whole number from `min` to `max`, `fallback` when unset or empty. The text must be digits only:
 * `Number("")` is 0 and `Number("30s")` NaN, and neither may slip through as a setting.
 */
export const integerSetting = (min: number, max: number, fallback: number) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((text, ctx) => {
      const trimmed = text?.trim() ?? "";
      if (trimmed === "") return fallback;
      const value = /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
      if (Number.isNaN(value) || value < min || value > max) {
        ctx.issues.push({
          code: "custom",
          message: `must be a whole number from ${min} to ${max}`,
          input: text,
        });
        return z.NEVER;
      }
      return value;
    }),
  );

/**
 * Reads and checks the variables `shape` names from `env`; throws an {@link EnvironmentConfigurationError}
 * listing every bad one. Values are never echoed (a variable may hold something secret).
 */
export function loadEnv<S extends z.core.$ZodShape>(
  shape: S,
  env: Env = process.env,
): z.infer<z.ZodMiniObject<S>> {
  const parsed = z.object(shape).safeParse(env);
  if (parsed.success) return parsed.data;
  throw new EnvironmentConfigurationError(
    parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "?"),
      message: issue.message,
    })),
  );
}

/** Bounds of the provisioning workflow's settings: the API's environment and the workflow's input agree. */
export const PROVISIONING_POLL_SECONDS = { min: 1, max: 600, fallback: 30 } as const;
/** At most 4 hours of waiting for RUNNING (tests use a deadline of seconds to reach the timeout path). */
export const PROVISIONING_DEADLINE_SECONDS = { min: 1, max: 4 * 3600, fallback: 3600 } as const;

/** The provisioning settings as the workflow carries them (validate-request re-checks them). */
export const provisioningSettingsSchema = z.object({
  pollIntervalSeconds: z
    .number()
    .check(z.int(), z.gte(PROVISIONING_POLL_SECONDS.min), z.lte(PROVISIONING_POLL_SECONDS.max)),
  deadlineSeconds: z
    .number()
    .check(z.int(), z.gte(PROVISIONING_DEADLINE_SECONDS.min), z.lte(PROVISIONING_DEADLINE_SECONDS.max)),
});
export type ProvisioningSettingsFromEnv = z.infer<typeof provisioningSettingsSchema>;

/** POST /brokers' configuration: the provisioning state machine and the workflow's settings. */
export function provisioningEnv(env: Env = process.env) {
  const loaded = loadEnv(
    {
      PROVISIONING_STATE_MACHINE_ARN: requiredText(),
      PROVISIONING_POLL_SECONDS: integerSetting(
        PROVISIONING_POLL_SECONDS.min,
        PROVISIONING_POLL_SECONDS.max,
        PROVISIONING_POLL_SECONDS.fallback,
      ),
      PROVISIONING_DEADLINE_SECONDS: integerSetting(
        PROVISIONING_DEADLINE_SECONDS.min,
        PROVISIONING_DEADLINE_SECONDS.max,
        PROVISIONING_DEADLINE_SECONDS.fallback,
      ),
    },
    env,
  );
  if (loaded.PROVISIONING_POLL_SECONDS >= loaded.PROVISIONING_DEADLINE_SECONDS) {
    throw new EnvironmentConfigurationError([
      {
        variable: "PROVISIONING_POLL_SECONDS",
        message: "must be shorter than PROVISIONING_DEADLINE_SECONDS",
      },
    ]);
  }
  return {
    stateMachineArn: loaded.PROVISIONING_STATE_MACHINE_ARN,
    settings: {
      pollIntervalSeconds: loaded.PROVISIONING_POLL_SECONDS,
      deadlineSeconds: loaded.PROVISIONING_DEADLINE_SECONDS,
    },
  };
}
