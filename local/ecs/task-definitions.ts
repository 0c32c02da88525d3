import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { lastSegment, taskDefinitionArn } from "./arns.js";
import { clientException, invalidParameter, taskDefinitionNotFound } from "./errors.js";
import type { TaskDefinitionRecord } from "./model.js";
import { checkName, optionalString, optionalStringList } from "./validation.js";

type Input = Record<string, unknown>;

function checkContainer(value: unknown, taskMemory: string | undefined): ContainerDefinition {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw clientException("Container definition must be an object.");
  }
  const container = value as ContainerDefinition & Record<string, unknown>;
  if (typeof container.name !== "string" || container.name === "") {
    throw clientException("Container.name should not be null or empty.");
  }
  if (typeof container.image !== "string" || container.image === "") {
    throw clientException("Container.image should not be null or empty.");
  }
  // ECS requires a memory limit (task or container level) for tasks on EC2, the launch type here.
  if (
    taskMemory === undefined &&
    container.memory === undefined &&
    container.memoryReservation === undefined
  ) {
    throw clientException(
      `Invalid setting for container '${container.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
    );
  }
  for (const field of ["entryPoint", "command"] as const) {
    optionalStringList(container, field);
  }
  const environment = container.environment ?? [];
  if (
    !Array.isArray(environment) ||
    environment.some((pair) => typeof pair?.name !== "string" || typeof pair.value !== "string")
  ) {
    throw clientException("Container.environment must be a list of name/value pairs.");
  }
  if (
    container.stopTimeout !== undefined &&
    (!Number.isInteger(container.stopTimeout) || container.stopTimeout < 2 || container.stopTimeout > 120)
  ) {
    throw clientException("Container.stopTimeout must be between 2 and 120 seconds.");
  }
  // ECS fills these in on the definitions it returns.
  return { essential: true, environment, mountPoints: [], portMappings: [], volumesFrom: [], ...container };
}

/** Task definitions by family, each family's revisions numbered from 1 and never reused. */
export class TaskDefinitions {
  constructor(
    private readonly records: TaskDefinitionRecord[],
    private readonly region: string,
    private readonly now: () => number,
  ) {}

  register(input: Input): TaskDefinitionRecord {
    const family = optionalString(input, "family");
    if (family === undefined || family === "") throw clientException("Family should not be null or empty.");
    checkName(family, "Family");
    const memory = optionalString(input, "memory");
    const definitions = input.containerDefinitions;
    if (!Array.isArray(definitions) || definitions.length === 0) {
      throw clientException("Container list cannot be empty.");
    }
    const containerDefinitions = definitions.map((definition) => checkContainer(definition, memory));
    const revision = Math.max(0, ...this.ofFamily(family).map((record) => record.revision)) + 1;
    const record: TaskDefinitionRecord = {
      taskDefinitionArn: taskDefinitionArn(this.region, family, revision),
      family,
      revision,
      status: "ACTIVE",
      containerDefinitions,
      cpu: optionalString(input, "cpu"),
      memory,
      networkMode: optionalString(input, "networkMode"),
      requiresCompatibilities: optionalStringList(input, "requiresCompatibilities"),
      taskRoleArn: optionalString(input, "taskRoleArn"),
      executionRoleArn: optionalString(input, "executionRoleArn"),
      registeredAt: this.now(),
    };
    this.records.push(record);
    return record;
  }

  /** `family` (its latest ACTIVE revision), `family:revision` or the ARN, as ECS accepts them. */
  resolve(reference: string): TaskDefinitionRecord {
    const name = lastSegment(reference);
    const [family = "", revision] = name.split(":");
    if (revision === undefined) {
      const active = this.ofFamily(family).filter((record) => record.status === "ACTIVE");
      const latest = active[active.length - 1];
      if (latest === undefined) throw taskDefinitionNotFound();
      return latest;
    }
    if (!/^\d+$/.test(revision)) throw invalidParameter(`Invalid revision number. Number: ${revision}`);
    const record = this.ofFamily(family).find((candidate) => candidate.revision === Number(revision));
    if (record === undefined) throw taskDefinitionNotFound();
    return record;
  }

  deregister(reference: string): TaskDefinitionRecord {
    if (!lastSegment(reference).includes(":")) throw clientException("Revision is missing.");
    const record = this.resolve(reference);
    record.status = "INACTIVE";
    record.deregisteredAt = this.now();
    return record;
  }

  /** ARNs, family and status filtered, by family then revision (ASC) or the reverse (DESC). */
  list(input: Input): string[] {
    const familyPrefix = optionalString(input, "familyPrefix");
    const status = optionalString(input, "status") ?? "ACTIVE";
    const sort = optionalString(input, "sort") ?? "ASC";
    if (status !== "ACTIVE" && status !== "INACTIVE" && status !== "DELETE_IN_PROGRESS") {
      throw invalidParameter(`Invalid status: ${status}`);
    }
    if (sort !== "ASC" && sort !== "DESC") throw invalidParameter(`Invalid sort: ${sort}`);
    const arns = this.records
      .filter((record) => record.status === status)
      .filter((record) => familyPrefix === undefined || record.family.startsWith(familyPrefix))
      .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision)
      .map((record) => record.taskDefinitionArn);
    return sort === "DESC" ? arns.reverse() : arns;
  }

  private ofFamily(family: string): TaskDefinitionRecord[] {
    return this.records.filter((record) => record.family === family).sort((a, b) => a.revision - b.revision);
  }
}
