import { AwsServiceError } from "../server/aws-error.js";

/**
 * Amazon MQ's errors, one class each, as moto's `mq/exceptions.py` has them. The four types are
 * the API reference's (status and `x-amzn-ErrorType`); each class names what went wrong and the
 * member it is about (`errorAttribute`), so a call site says only what differs.
 */

export class BadRequestException extends AwsServiceError {
  constructor(message: string, attribute?: string) {
    super("BadRequestException", message, 400, attribute);
  }
}

export class NotFoundException extends AwsServiceError {
  constructor(message: string, attribute?: string) {
    super("NotFoundException", message, 404, attribute);
  }
}

export class ConflictException extends AwsServiceError {
  constructor(message: string, attribute?: string) {
    super("ConflictException", message, 409, attribute);
  }
}

export class InternalServerErrorException extends AwsServiceError {
  constructor(message: string) {
    super("InternalServerErrorException", message, 500);
  }
}

/** A member breaks a rule: `<attribute> <problem>.` */
export class InvalidParameter extends BadRequestException {
  constructor(attribute: string, problem: string) {
    super(`${attribute} ${problem}.`, attribute);
  }
}

export class MissingParameter extends InvalidParameter {
  constructor(attribute: string) {
    super(attribute, "is required");
  }
}

/** A member is valid on Amazon MQ but this local control plane does not implement it. */
export class NotSupportedLocally extends BadRequestException {
  constructor(attribute: string, what: string) {
    super(`${what} is not supported by the local Amazon MQ.`, attribute);
  }
}

export class InvalidRequestBody extends BadRequestException {
  constructor(problem: string) {
    super(`The request body ${problem}.`);
  }
}

export class InvalidPathEncoding extends BadRequestException {
  constructor(segment: string) {
    super(`The path segment ${segment} is not valid URL encoding.`);
  }
}

export class UnknownOperation extends NotFoundException {
  constructor(method: string, path: string) {
    super(`No Amazon MQ operation answers ${method} ${path}.`);
  }
}

export class UnknownBroker extends NotFoundException {
  constructor(brokerId: string) {
    super(`Broker ${brokerId} does not exist.`, "broker-id");
  }
}

export class UnknownConfiguration extends NotFoundException {
  constructor(configurationId: string, attribute = "configuration-id") {
    super(`Configuration ${configurationId} does not exist.`, attribute);
  }
}

export class UnknownRevision extends NotFoundException {
  constructor(configurationId: string, revision: number, attribute = "configuration-revision") {
    super(`Configuration ${configurationId} has no revision ${revision}.`, attribute);
  }
}

export class UnknownUser extends NotFoundException {
  constructor(brokerId: string, username: string) {
    super(`Broker ${brokerId} has no user ${username}.`, "username");
  }
}

export class UnknownResourceArn extends NotFoundException {
  constructor(arn: string) {
    super(`No broker or configuration has the ARN ${arn}.`, "resource-arn");
  }
}

/** The broker is in a state the operation does not accept (an operation under way must finish). */
export class BrokerStateConflict extends ConflictException {
  constructor(brokerId: string, state: string, operation: string, allowed: readonly string[]) {
    super(
      `Broker ${brokerId} is ${state}; ${operation} needs it to be ${allowed.join(" or ")}.`,
      "broker-id",
    );
  }
}

export class BrokerNameTaken extends ConflictException {
  constructor(name: string) {
    super(`A broker named ${name} already exists; broker names are unique.`, "brokerName");
  }
}

/** A CreateBroker retry must repeat the request its creatorRequestId was first used with. */
export class CreatorRequestIdReused extends ConflictException {
  constructor(creatorRequestId: string, brokerId: string) {
    super(
      `creatorRequestId ${creatorRequestId} was used for broker ${brokerId} with different parameters.`,
      "creatorRequestId",
    );
  }
}

export class UserExists extends ConflictException {
  constructor(brokerId: string, username: string) {
    super(`Broker ${brokerId} already has a user ${username}.`, "username");
  }
}

export class UserPendingDeletion extends ConflictException {
  constructor(brokerId: string, username: string) {
    super(`User ${username} of broker ${brokerId} is pending deletion; reboot the broker first.`, "username");
  }
}

export class ConfigurationInUse extends ConflictException {
  constructor(configurationId: string, brokerId: string) {
    super(
      `Configuration ${configurationId} is in use by broker ${brokerId}; change the broker's configuration first.`,
      "configuration-id",
    );
  }
}

export class AlreadyReplicating extends ConflictException {
  constructor(brokerId: string) {
    super(`Broker ${brokerId} is already in a data replication pair.`, "dataReplicationPrimaryBrokerArn");
  }
}

export class NoFreePorts extends InternalServerErrorException {
  constructor(detail: string) {
    super(`No free loopback ports for the broker: ${detail}`);
  }
}
