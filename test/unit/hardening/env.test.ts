import { afterEach, describe, expect, it, vi } from "vitest";
import { EnvironmentConfigurationError, provisioningEnv } from "../../../functions/lib/env.js";

const ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:p";

describe("provisioningEnv", () => {
  it("defaults the settings when unset", () => {
    expect(provisioningEnv({ PROVISIONING_STATE_MACHINE_ARN: ARN })).toEqual({
      stateMachineArn: ARN,
      settings: { pollIntervalSeconds: 30, deadlineSeconds: 3600 },
    });
  });

  it.each([
    ["PROVISIONING_POLL_SECONDS", "abc"],
    ["PROVISIONING_POLL_SECONDS", "0"],
    ["PROVISIONING_POLL_SECONDS", "1.5"],
    ["PROVISIONING_DEADLINE_SECONDS", "-5"],
    ["PROVISIONING_DEADLINE_SECONDS", "999999"],
  ])("refuses %s=%j, naming the variable", (variable, value) => {
    const load = () => provisioningEnv({ PROVISIONING_STATE_MACHINE_ARN: ARN, [variable]: value });

    expect(load).toThrow(EnvironmentConfigurationError);
    expect(load).toThrow(new RegExp(`environment variable ${variable} must be a whole number`));
  });

  it("refuses a poll interval not shorter than the deadline", () => {
    expect(() =>
      provisioningEnv({
        PROVISIONING_STATE_MACHINE_ARN: ARN,
        PROVISIONING_POLL_SECONDS: "60",
        PROVISIONING_DEADLINE_SECONDS: "60",
      }),
    ).toThrow(/PROVISIONING_POLL_SECONDS must be shorter/);
  });

  it("refuses a missing state machine", () => {
    expect(() => provisioningEnv({})).toThrow(/PROVISIONING_STATE_MACHINE_ARN is required/);
  });
});

describe("POST /brokers with a bad environment", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("fails when the function loads, not as a RequestValidationError", async () => {
    vi.stubEnv("PROVISIONING_POLL_SECONDS", "thirty");
    vi.resetModules();

    const loading = import("../../../functions/api/create-broker.js");

    // A fresh module graph has its own class: the error is matched by name and message.
    await expect(loading).rejects.toMatchObject({
      name: "EnvironmentConfigurationError",
      message: expect.stringMatching(/environment variable PROVISIONING_POLL_SECONDS must be a whole number/),
    });
  });
});
