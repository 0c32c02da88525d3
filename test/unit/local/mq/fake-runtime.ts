import type {
  BrokerRunSpec,
  BrokerRuntime,
  DeploymentMode,
  InstancePorts,
} from "../../../../local/brokers/types.js";

/** A start the test decides the outcome of: `resolve()` lets the broker run, `reject(error)` fails it. */
export interface HeldStart {
  spec: BrokerRunSpec;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * An in-memory BrokerRuntime: records what the control plane asks for. Starts succeed at once
 * unless the test says otherwise with `failNextStart` or `holdStarts` (starts then wait in `held`).
 */
export class FakeRuntime implements BrokerRuntime {
  readonly starts: BrokerRunSpec[] = [];
  readonly stops: string[] = [];
  readonly destroys: string[] = [];
  readonly held: HeldStart[] = [];
  stopAllCalls = 0;
  private nextPort = 61000;
  private failures: Error[] = [];
  private allocationFailure: Error | undefined;
  private stopFailure: Error | undefined;
  private destroyFailure: Error | undefined;
  private holding = false;
  private readonly running = new Set<string>();
  private destroyGate: Promise<void> = Promise.resolve();
  private openDestroyGate = () => {};

  failNextStart(error: Error): void {
    this.failures.push(error);
  }

  failNextAllocation(error: Error): void {
    this.allocationFailure = error;
  }

  failNextStop(error: Error): void {
    this.stopFailure = error;
  }

  failNextDestroy(error: Error): void {
    this.destroyFailure = error;
  }

  holdStarts(hold = true): void {
    this.holding = hold;
  }

  /** Destroys wait until `releaseDestroys()`. */
  holdDestroys(): void {
    this.destroyGate = new Promise((resolve) => {
      this.openDestroyGate = resolve;
    });
  }

  releaseDestroys(): void {
    this.openDestroyGate();
  }

  isRunning(brokerId: string): boolean {
    return this.running.has(brokerId);
  }

  async allocatePorts(mode: DeploymentMode): Promise<InstancePorts[]> {
    // Real allocation binds sockets: let other requests run meanwhile, as they would.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const failure = this.allocationFailure;
    this.allocationFailure = undefined;
    if (failure !== undefined) throw failure;
    const count = mode === "SINGLE_INSTANCE" ? 1 : mode === "ACTIVE_STANDBY_MULTI_AZ" ? 2 : 3;
    return Array.from({ length: count }, () => {
      const ports = { openwire: this.nextPort, stomp: this.nextPort + 1 };
      this.nextPort += 2;
      return ports;
    });
  }

  start(spec: BrokerRunSpec): Promise<void> {
    this.starts.push(structuredClone(spec));
    const failure = this.failures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    if (!this.holding) {
      this.running.add(spec.brokerId);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.held.push({
        spec,
        resolve: () => {
          this.running.add(spec.brokerId);
          resolve();
        },
        reject,
      });
    });
  }

  async stop(brokerId: string): Promise<void> {
    this.stops.push(brokerId);
    const failure = this.stopFailure;
    this.stopFailure = undefined;
    if (failure !== undefined) throw failure;
    this.running.delete(brokerId);
  }

  async destroy(brokerId: string): Promise<void> {
    this.destroys.push(brokerId);
    await this.destroyGate;
    const failure = this.destroyFailure;
    this.destroyFailure = undefined;
    if (failure !== undefined) throw failure;
    this.running.delete(brokerId);
  }

  status(): [] {
    return [];
  }

  async stopAll(): Promise<void> {
    this.stopAllCalls++;
    this.running.clear();
  }
}
