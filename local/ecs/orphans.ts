import { readFileSync, writeFileSync } from "node:fs";

/**
 * The host processes of running tasks, recorded so that a local cloud that died without cleaning up
 * (SIGKILL, a crash) does not leave its consumers running into the next one: on resume, each one still
 * alive whose environment names its task is killed with its process group.
 */
export class TaskPidFile {
  private readonly pids = new Map<string, number>();

  constructor(private readonly file: string) {}

  add(taskArn: string, pid: number): void {
    this.pids.set(taskArn, pid);
    this.write();
  }

  remove(taskArn: string): void {
    if (this.pids.delete(taskArn)) this.write();
  }

  /** Kills what a previous run recorded and still runs; returns how many it killed. */
  killLeftovers(): number {
    let recorded: Record<string, number>;
    try {
      recorded = JSON.parse(readFileSync(this.file, "utf8")) as Record<string, number>;
    } catch {
      return 0;
    }
    let killed = 0;
    for (const [taskArn, pid] of Object.entries(recorded)) {
      if (this.pids.has(taskArn) || !isTaskProcess(pid, taskArn)) continue;
      try {
        process.kill(-pid, "SIGKILL");
        killed += 1;
      } catch {
        // Gone meanwhile.
      }
    }
    this.write();
    return killed;
  }

  private write(): void {
    writeFileSync(this.file, `${JSON.stringify(Object.fromEntries(this.pids))}\n`, { mode: 0o600 });
  }
}

/** Whether the process is the task's (a pid may have been reused since): its environment names it. */
function isTaskProcess(pid: number, taskArn: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`MQOPS_ECS_TASK_ARN=${taskArn}`);
  } catch {
    return false;
  }
}
