import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { InstanceLayout } from "./layout.js";

/** Debian's ActiveMQ 5.17 (`apt-get install activemq`). */
export const ACTIVEMQ_HOME = "/usr/share/activemq";
const ACTIVEMQ_JAR = `${ACTIVEMQ_HOME}/bin/activemq.jar`;
/** The statistics plugin's map replies need these; Debian installs them but does not load them. */
const EXTRA_CLASSPATH = ["/usr/share/java/xstream.jar", "/usr/share/java/jettison.jar"];
/** SIGTERM lets ActiveMQ close its store (about 0.5 s); after this long it gets SIGKILL. */
export const STOP_GRACE_MS = 5_000;

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the JVM could not be spawned at all (no `java` on the PATH). */
  error?: Error;
}

/**
 * The JVM command line: small heap and fast-start flags, ActiveMQ's base/conf/data in the
 * instance directory, and the jar run directly (Debian's /usr/bin/activemq would load its own
 * options, a 512 MB heap and /var/lib/activemq, and switch user).
 */
export function javaArguments(layout: InstanceLayout): string[] {
  return [
    "-Xms64m",
    "-Xmx256m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    `-Dactivemq.home=${ACTIVEMQ_HOME}`,
    `-Dactivemq.base=${layout.dir}`,
    `-Dactivemq.conf=${layout.dir}`,
    `-Dactivemq.data=${layout.dataDirectory}`,
    `-Dactivemq.classpath=${EXTRA_CLASSPATH.join(":")}`,
    `-Dlog4j.configuration=file:${layout.log4jFile}`,
    "-jar",
    ACTIVEMQ_JAR,
    "start",
    `xbean:file:${layout.configFile}`,
  ];
}

// Every JVM this Node process started and that has not exited yet, with its exit. A broker
// outlives a crashed parent, so the exit and signal handlers below stop whatever is still here.
const liveChildren = new Map<ChildProcess, Promise<unknown>>();
let exitHandlersInstalled = false;
let signalled = false;

function signalAll(signal: NodeJS.Signals): void {
  for (const child of liveChildren.keys()) {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Listening for a signal replaces Node's default of exiting. When nobody else listens, do what
 * Node would have done, after a graceful stop of the JVMs (SIGTERM, at most STOP_GRACE_MS; the exit
 * handler SIGKILLs the rest); a second signal exits at once. When someone else listens (the CLI's
 * graceful shutdown calls `stopAll`), they own the shutdown and this handler stays out of the way.
 * It is prepended so that it counts listeners before any `once` listener removes itself.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  const exitCode = signal === "SIGINT" ? 130 : 143;
  if (signalled) process.exit(exitCode);
  signalled = true;
  signalAll("SIGTERM");
  setTimeout(() => process.exit(exitCode), STOP_GRACE_MS).unref();
  void Promise.all(liveChildren.values()).then(() => process.exit(exitCode));
}

function installExitHandlers(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  process.on("exit", () => signalAll("SIGKILL"));
  process.prependListener("SIGINT", onSignal);
  process.prependListener("SIGTERM", onSignal);
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The file's text from `offset` on, at most its last `limit` bytes. */
function readFrom(file: string, offset: number, limit = 256 * 1024): string {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return "";
  }
  try {
    const start = Math.max(offset, fileSize(file) - limit);
    const buffer = Buffer.alloc(Math.max(0, fileSize(file) - start));
    const read = readSync(fd, buffer, 0, buffer.length, start);
    return buffer.subarray(0, read).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

const STACK_FRAME = /^\s+(at |\.\.\. \d+ more)/;

/**
 * The first error the run wrote: ActiveMQ's launcher prints `ERROR: <exception>` on the console
 * (XML and schema errors land there); log4j lines carry `| ERROR |`. Falls back to the last lines.
 */
export function firstError(consoleText: string, logText: string): string {
  const consoleLines = consoleText
    .split("\n")
    .filter((line) => line.trim() !== "" && !STACK_FRAME.test(line));
  const logLines = logText.split("\n").filter((line) => line.trim() !== "" && !STACK_FRAME.test(line));
  const launcherError = consoleLines.find((line) => line.startsWith("ERROR: "));
  if (launcherError !== undefined) return launcherError.slice("ERROR: ".length);
  const loggedError = logLines.find((line) => line.includes("| ERROR |"));
  if (loggedError !== undefined) return loggedError.split(" | ")[2] ?? loggedError;
  const tail = [...consoleLines, ...logLines].slice(-5).join("\n");
  return tail === "" ? "it wrote no log" : tail;
}

function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return undefined;
  }
}

/**
 * Stops a JVM that an earlier Node process started for this instance and could not stop (it was
 * SIGKILLed, so its exit handlers never ran): it would hold the ports and the store's lock. The pid
 * file is trusted only if that pid still runs ActiveMQ on this instance's configuration file.
 * Resolves with the pid it killed, if any.
 */
export async function stopOrphan(
  layout: InstanceLayout,
  timeoutMs = STOP_GRACE_MS,
): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(layout.pidFile, "utf8"), 10);
  } catch {
    return undefined;
  }
  const ours = () => commandLineOf(pid)?.includes(`xbean:file:${layout.configFile}`) === true;
  if (!Number.isInteger(pid) || !ours()) {
    rmSync(layout.pidFile, { force: true });
    return undefined;
  }
  process.kill(pid, "SIGKILL");
  const deadline = Date.now() + timeoutMs;
  while (ours()) {
    if (Date.now() > deadline) throw new Error(`orphaned ActiveMQ JVM ${pid} did not die after SIGKILL`);
    await sleep(50);
  }
  rmSync(layout.pidFile, { force: true });
  return pid;
}

/** One ActiveMQ JVM, its output appended to the instance's console and log files. */
export class ActiveMqProcess {
  readonly pid: number | undefined;
  /** Settles when the JVM has exited (or could not be spawned). Never rejects. */
  readonly exited: Promise<ProcessExit>;
  private exitInfo: ProcessExit | undefined;
  private readonly child: ChildProcess;
  private readonly consoleOffset: number;
  private readonly logOffset: number;

  private constructor(
    private readonly layout: InstanceLayout,
    javaCommand: string,
  ) {
    installExitHandlers();
    this.consoleOffset = fileSize(layout.consoleFile);
    this.logOffset = fileSize(layout.logFile);
    const output = openSync(layout.consoleFile, "a", 0o600);
    try {
      // Output goes straight to a file: no pipe for Node to drain or to keep its event loop alive.
      this.child = spawn(javaCommand, javaArguments(layout), {
        cwd: layout.dir,
        stdio: ["ignore", output, output],
      });
    } finally {
      closeSync(output);
    }
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => {
      const settle = (exit: ProcessExit) => {
        liveChildren.delete(this.child);
        if (this.pid !== undefined) rmSync(layout.pidFile, { force: true });
        this.exitInfo ??= exit;
        resolve(this.exitInfo);
      };
      this.child.once("exit", (code, signal) => settle({ code, signal }));
      this.child.once("error", (error) => settle({ code: null, signal: null, error }));
    });
    if (this.pid !== undefined) {
      liveChildren.set(this.child, this.exited);
      writeFileSync(layout.pidFile, `${this.pid}\n`, { mode: 0o600 });
    }
  }

  /** Starts the JVM for an instance whose configuration files are already written. */
  static spawn(layout: InstanceLayout, javaCommand = "java"): ActiveMqProcess {
    return new ActiveMqProcess(layout, javaCommand);
  }

  /** How it ended, once it has. */
  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** SIGTERM, then SIGKILL if it is still running after `graceMs`. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Why this run failed, from what it wrote since it was spawned. */
  failureReason(): string {
    if (this.exitInfo?.error !== undefined)
      return `the JVM could not be started: ${this.exitInfo.error.message}`;
    return firstError(
      readFrom(this.layout.consoleFile, this.consoleOffset),
      readFrom(this.layout.logFile, this.logOffset),
    );
  }

  /** "exit code 1" or "signal SIGKILL". */
  describeExit(): string {
    const exit = this.exitInfo;
    if (exit === undefined) return "still running";
    if (exit.error !== undefined) return "spawn failure";
    return exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.code}`;
  }
}
