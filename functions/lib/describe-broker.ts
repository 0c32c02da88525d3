import { DescribeBrokerCommand, type DescribeBrokerResponse } from "@aws-sdk/client-mq";
import { awsErrorName, callAws } from "./aws-errors.js";
import { mq } from "./clients.js";
import { BrokerNotFoundError } from "./errors.js";
/** DescribeBroker; a broker that is gone is a BrokerNotFoundError. */
export async function describeBroker(brokerId: string): Promise<DescribeBrokerResponse> {
  try {
    return await callAws("DescribeBroker", () => mq.send(new DescribeBrokerCommand({ BrokerId: brokerId })));
  } catch (error) {
    if (awsErrorName(error) === "NotFoundException")
      throw new BrokerNotFoundError(brokerId, { cause: error });
    throw error;
  }
}
