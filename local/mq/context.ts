import type { BrokerRuntime } from "../brokers/types.js";
import type { MqState } from "./state.js";

/** What every area of the control plane shares: the state, its store and the broker runtime. */
export interface MqContext {
  state: MqState;
  /** Writes the state to disk; called after every change. */
  save(): void;
  runtime: BrokerRuntime;
  /** Seals LDAP service account passwords in the state (local/mq/ldap.ts). */
  sealingKey: Buffer;
  /** Runs a broker lifecycle step (start, reboot, delete) after the request that asked for it answered. */
  background(task: () => Promise<void>): void;
}
