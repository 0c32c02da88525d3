import { describe, expect, it } from "vitest";
import { type ReconcileTask, reconcile, restartDelayMs } from "../../../../local/ecs/reconcile.js";

const task = (taskId: string, startedBy: string, lastStatus = "RUNNING", createdAt = 0): ReconcileTask => ({
  taskId,
  startedBy,
  lastStatus,
  desiredStatus: "RUNNING",
  createdAt,
});
const active = (desiredCount: number, deploymentIds = ["d2"]) => ({
  status: "ACTIVE" as const,
  desiredCount,
  deploymentIds,
});

describe("reconcile", () => {
  it("starts the missing tasks of the primary deployment", () => {
    expect(reconcile(active(3), [task("a", "d2")], true)).toEqual({
      start: 2,
      stop: [],
      finishedDeployments: [],
    });
  });

  it("starts nothing while backing off a crash loop", () => {
    expect(reconcile(active(3), [], false).start).toBe(0);
  });

  it("stops the newest surplus tasks", () => {
    const tasks = [
      task("old", "d2", "RUNNING", 1),
      task("new", "d2", "RUNNING", 3),
      task("mid", "d2", "RUNNING", 2),
    ];
    expect(reconcile(active(1), tasks, true).stop.map((stop) => stop.taskId)).toEqual(["new", "mid"]);
  });

  it("ignores tasks already being stopped", () => {
    const stopping = { ...task("s", "d2", "STOPPING"), desiredStatus: "STOPPED" as const };
    expect(reconcile(active(1), [stopping], true).start).toBe(1);
  });

  it("keeps an older deployment's tasks until the primary's run, then replaces them", () => {
    const service = active(2, ["d2", "d1"]);
    const old = [task("o1", "d1"), task("o2", "d1")];
    expect(reconcile(service, old, true)).toEqual({ start: 2, stop: [], finishedDeployments: [] });
    const pending = [...old, task("n1", "d2", "PENDING"), task("n2", "d2", "PENDING")];
    expect(reconcile(service, pending, true).stop).toEqual([]);
    const oneUp = [...old, task("n1", "d2"), task("n2", "d2", "PENDING")];
    expect(reconcile(service, oneUp, true).stop).toHaveLength(1);
    const bothUp = [...old, task("n1", "d2"), task("n2", "d2")];
    expect(reconcile(service, bothUp, true).stop.map((stop) => stop.deploymentId)).toEqual(["d1", "d1"]);
  });

  it("drops an older deployment once none of its tasks is left", () => {
    expect(reconcile(active(1, ["d2", "d1"]), [task("n", "d2")], true).finishedDeployments).toEqual(["d1"]);
  });

  it("drains a DRAINING service to zero", () => {
    const draining = { status: "DRAINING" as const, desiredCount: 2, deploymentIds: ["d2"] };
    expect(reconcile(draining, [task("a", "d2")], true)).toEqual({
      start: 0,
      stop: [{ taskId: "a", deploymentId: "d2" }],
      finishedDeployments: [],
    });
  });
});

describe("restartDelayMs", () => {
  it("replaces the first quick exit at once, then backs off doubling to a minute", () => {
    expect([0, 1, 2, 3, 4, 8, 20].map(restartDelayMs)).toEqual([0, 0, 1000, 2000, 4000, 60_000, 60_000]);
  });
});
