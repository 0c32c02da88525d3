import type { DescribeBrokerResponse } from "@aws-sdk/client-mq";
import { errorMessage } from "../lib/error-message.js";
import { type BrokerLogin, StompProbe, stompEndpoints } from "./stomp.js";

/** A STOMP session on the broker through its instances' endpoints, in order (the failover URL's list). */
export function openProbe(broker: DescribeBrokerResponse, login: BrokerLogin): Promise<StompProbe> {
  const endpoints = (broker.BrokerInstances ?? []).flatMap((instance) =>
    stompEndpoints(instance.Endpoints ?? []),
  );
  return StompProbe.connect(endpoints, login);
}

/** Runs `work` on a probe session and always closes it; a failure to connect becomes a problem text. */
export async function withProbe<T>(
  broker: DescribeBrokerResponse,
  login: BrokerLogin,
  work: (probe: StompProbe) => Promise<T>,
): Promise<T> {
  const probe = await openProbe(broker, login).catch((error: unknown) => {
    throw new Error(`no STOMP session through the failover list: ${errorMessage(error)}`);
  });
  try {
    return await work(probe);
  } finally {
    await probe.close();
  }
}
