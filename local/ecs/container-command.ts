import path from "node:path";
import type { ContainerDefinition } from "@aws-sdk/client-ecs";

/** The image that runs mqops's own consumer (`mqops consume`) instead of a host command. */
export const CONSUMER_IMAGE = "mqops/consumer";
/** ECS's default container stop timeout: SIGTERM, then SIGKILL this long after. */
export const DEFAULT_STOP_TIMEOUT_SECONDS = 30;

export interface HostCommand {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  stopTimeoutMs: number;
}

/** The image without a tag or digest: `mqops/consumer:latest` is the consumer too. */
const imageName = (image: string) => image.replace(/@.*$/, "").replace(/:[^/]*$/, "");

/**
 * How a task's container runs on this machine. Pure.
 * - `mqops/consumer[:tag]`: `node --import tsx cli/mqops.ts consume <command…>` from the project root
 *   (settings from the environment, see cli/consume.ts).
 * - any other image: its `entryPoint` + `command` as a host command (no shell, no image); a
 *   definition with neither cannot run here.
 * The environment is the base (the local cloud's own: PATH, HOME…), then what the local cloud hands
 * every task (endpoint, region, credentials), then the container's `environment`, which wins.
 */
export function hostCommand(
  container: ContainerDefinition,
  options: {
    projectRoot: string;
    nodePath: string;
    baseEnvironment: Record<string, string | undefined>;
    taskEnvironment: Record<string, string>;
    extraEnvironment?: Record<string, string>;
  },
): HostCommand | { error: string } {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.baseEnvironment)) {
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, options.taskEnvironment, options.extraEnvironment);
  for (const pair of container.environment ?? []) {
    if (pair.name !== undefined && pair.value !== undefined) env[pair.name] = pair.value;
  }
  const stopTimeoutMs = (container.stopTimeout ?? DEFAULT_STOP_TIMEOUT_SECONDS) * 1000;
  const command = container.command ?? [];
  if (imageName(container.image ?? "") === CONSUMER_IMAGE) {
    return {
      file: options.nodePath,
      args: ["--import", "tsx", path.join(options.projectRoot, "cli", "mqops.ts"), "consume", ...command],
      cwd: options.projectRoot,
      env,
      stopTimeoutMs,
    };
  }
  const [file, ...args] = [...(container.entryPoint ?? []), ...command];
  if (file === undefined || file === "") {
    return {
      error: `CannotStartContainerError: image ${container.image ?? ""} runs locally only as a host command: give the container an entryPoint or command`,
    };
  }
  return { file, args, cwd: options.projectRoot, env, stopTimeoutMs };
}

/**
 * The command line as the task's log shows it, with the value of `--user` (`name:password`, as
 * `mqops consume` takes it) masked: logs never hold a password. Pure.
 */
export function displayCommand(command: Pick<HostCommand, "file" | "args">): string {
  const shown = command.args.map((arg, index) => {
    if (command.args[index - 1] === "--user") return "***";
    return arg.startsWith("--user=") ? "--user=***" : arg;
  });
  return [command.file, ...shown].join(" ");
}
