import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import { displayCommand, type HostCommand } from "./container-command.js";

export interface HostProcessExit {
  /** The exit status as a container runtime reports it: the code, or 128 + the signal's number. */
  exitCode: number;
  /** Set when the command could not be started at all (no such file, not executable). */
  error?: string;
}

export interface HostProcess {
  pid: number | undefined;
  /** Resolves once the process has started (true) or failed to (false). */
  started: Promise<boolean>;
  exited: Promise<HostProcessExit>;
  /** SIGTERM to the task's process group, SIGKILL after `graceMs` if it is still there. */
  stop(graceMs: number): void;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

// Process groups of every task this Node process started and that has not exited. Tasks run in
// their own group (so a task's children stop with it, and a Ctrl-C in the terminal reaches the
// local cloud, which stops them in order); whatever is left when this process exits is killed.
const liveGroups = new Set<number>();
let exitHandlerInstalled = false;

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone.
  }
}

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on("exit", () => {
    for (const pid of liveGroups) signalGroup(pid, "SIGKILL");
  });
}

/** Starts a task's command with stdout and stderr appended to its log file. */
export function startHostProcess(command: HostCommand, logFile: string): HostProcess {
  installExitHandler();
  mkdirSync(path.dirname(logFile), { recursive: true, mode: 0o700 });
  const fd = openSync(logFile, "a", 0o600);
  writeSync(fd, `[mqops ecs] ${new Date().toISOString()} starting ${displayCommand(command)}\n`);
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(command.file, command.args, {
      cwd: command.cwd,
      env: command.env,
      stdio: ["ignore", fd, fd],
      detached: true,
    });
  } catch (error) {
    // spawn throws at once on arguments it cannot pass (a NUL byte in the environment, say).
    const exit = { exitCode: 127, error: (error as Error).message };
    return { pid: undefined, started: Promise.resolve(false), exited: Promise.resolve(exit), stop() {} };
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid !== undefined) liveGroups.add(pid);
  let killTimer: NodeJS.Timeout | undefined;
  const started = new Promise<boolean>((resolve) => {
    child.once("spawn", () => resolve(true));
    child.once("error", () => resolve(false));
  });
  const exited = new Promise<HostProcessExit>((resolve) => {
    child.once("error", (error) => {
      if (pid !== undefined) return; // A started process reports its end through "exit".
      resolve({ exitCode: 127, error: error.message });
    });
    child.once("exit", (code, signal) => {
      if (killTimer !== undefined) clearTimeout(killTimer);
      if (pid !== undefined) {
        // Children the command left behind in its group go with it.
        signalGroup(pid, "SIGKILL");
        liveGroups.delete(pid);
      }
      resolve({ exitCode: code ?? 128 + (SIGNAL_NUMBERS[signal ?? ""] ?? 0) });
    });
  });
  return {
    pid,
    started,
    exited,
    stop(graceMs) {
      if (pid === undefined || !liveGroups.has(pid) || killTimer !== undefined) return;
      signalGroup(pid, "SIGTERM");
      killTimer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
      killTimer.unref();
    },
  };
}
