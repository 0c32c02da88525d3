import type { brokerView } from "../../functions/api/broker-view.js";
import { TAG_MANAGED } from "../../functions/lib/state-table.js";
import { ConsoleHttpError, notFound } from "../errors.js";
import type { ConsoleSources } from "../sources.js";

/** GET /brokers/{id} as JSON (dates are ISO strings already). */
export type BrokerView = ReturnType<typeof brokerView>;

export interface BrokerRow {
  id: string;
  name: string;
  state: string;
  mode: string;
  engineVersion: string;
  pendingEngineVersion: string | undefined;
  maintenanceWindow: string;
  managed: boolean;
}

/** Amazon MQ's broker IDs (`b-` and a UUID); anything else is a bad parameter, not a missing broker. */
export const BROKER_ID = /^b-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function expectApi(sources: ConsoleSources, path: string): Promise<unknown> {
  const { status, body } = await sources.api(path);
  if (status === 404) throw notFound((body as { message?: string }).message);
  if (status !== 200) {
    const message = (body as { message?: string }).message ?? "";
    throw new ConsoleHttpError(502, `The mqops API answered ${status} to GET ${path}: ${message}`);
  }
  return body;
}

export const isManaged = (broker: BrokerView) => broker.tags?.[TAG_MANAGED] !== undefined;

export function maintenanceWindow(broker: BrokerView): string {
  const window = broker.maintenanceWindowStartTime;
  if (window === undefined) return "";
  return `${window.DayOfWeek ?? ""} ${window.TimeOfDay ?? ""} ${window.TimeZone ?? "UTC"}`.trim();
}

/** One broker as the API describes it. */
export async function getBroker(sources: ConsoleSources, id: string): Promise<BrokerView> {
  return (await expectApi(sources, `/brokers/${encodeURIComponent(id)}`)) as BrokerView;
}

/** Every broker with the columns of the list: the API's list, then each broker's description. */
export async function listBrokers(sources: ConsoleSources): Promise<BrokerRow[]> {
  const { brokers } = (await expectApi(sources, "/brokers")) as { brokers: { brokerId: string }[] };
  const described = await Promise.all(
    brokers.map((summary) => getBroker(sources, summary.brokerId).catch(() => undefined)),
  );
  return described
    .filter((broker): broker is BrokerView => broker !== undefined)
    .map((broker) => ({
      id: broker.brokerId ?? "",
      name: broker.brokerName ?? "",
      state: broker.brokerState ?? "",
      mode: broker.deploymentMode ?? "",
      engineVersion: broker.engineVersion ?? "",
      pendingEngineVersion: broker.pendingChanges.engineVersion,
      maintenanceWindow: maintenanceWindow(broker),
      managed: isManaged(broker),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
