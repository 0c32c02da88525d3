import path from "node:path";
import { describe, expect, it } from "vitest";
import { displayCommand, hostCommand } from "../../../../local/ecs/container-command.js";

const options = {
  projectRoot: "/srv/mqops",
  nodePath: "/usr/bin/node",
  baseEnvironment: { PATH: "/usr/bin", SHARED: "base", UNSET: undefined },
  taskEnvironment: { SHARED: "cloud", AWS_ENDPOINT_URL: "http://127.0.0.1:4566" },
};

describe("hostCommand", () => {
  it("runs the mqops/consumer image as `mqops consume` with the container's command as arguments", () => {
    const command = hostCommand(
      {
        name: "consumer",
        image: "mqops/consumer:latest",
        command: ["--service-ms", "50"],
        environment: [{ name: "MQOPS_QUEUE", value: "orders" }],
      },
      options,
    );
    expect(command).toEqual({
      file: "/usr/bin/node",
      args: ["--import", "tsx", path.join("/srv/mqops", "cli", "mqops.ts"), "consume", "--service-ms", "50"],
      cwd: "/srv/mqops",
      env: {
        PATH: "/usr/bin",
        SHARED: "cloud",
        AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
        MQOPS_QUEUE: "orders",
      },
      stopTimeoutMs: 30_000,
    });
  });

  it("runs any other image's entryPoint + command, the container's environment winning", () => {
    const command = hostCommand(
      {
        name: "mine",
        image: "example/consumer",
        entryPoint: ["python3", "consumer.py"],
        command: ["--fast"],
        environment: [{ name: "SHARED", value: "container" }],
        stopTimeout: 5,
      },
      options,
    );
    expect(command).toMatchObject({
      file: "python3",
      args: ["consumer.py", "--fast"],
      env: { SHARED: "container" },
      stopTimeoutMs: 5000,
    });
  });

  it("cannot run another image that has neither entryPoint nor command", () => {
    expect(hostCommand({ name: "x", image: "nginx" }, options)).toEqual({
      error: expect.stringMatching(/^CannotStartContainerError: /),
    });
  });
});

describe("displayCommand", () => {
  it("masks the value of --user in the command line the task's log shows", () => {
    expect(displayCommand({ file: "node", args: ["consume", "--user", "app:secret", "--queue", "q"] })).toBe(
      "node consume --user *** --queue q",
    );
    expect(displayCommand({ file: "node", args: ["--user=app:secret"] })).toBe("node --user=***");
  });
});
