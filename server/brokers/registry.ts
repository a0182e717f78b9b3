// The one list of broker drivers. Everything that must work for any broker kind loops over it or
// asks it for the driver of a broker's kind; adding a broker adds its driver here.
import { stackServiceOf } from "../../lib/brokers";
import type { ResolvedBroker } from "../../lib/run/ipc";
import type { ServiceId } from "../../lib/stack";
import type { Config } from "../config";
import type { ProbeResult } from "../health/probes";
import type { BrokerDefaults, BrokerDriver, BrokerKind, ScenarioBroker } from "./driver";
import { awsDriver } from "./aws/driver";
import { kafkaDriver } from "./kafka/driver";
import { pubsubDriver } from "./pubsub/driver";
import { rabbitDriver } from "./rabbitmq/driver";
import { redisDriver } from "./redis/driver";

// `satisfies` keeps each driver's own type (its manifest entry schema) while checking every kind has one.
const drivers = { rabbitmq: rabbitDriver, kafka: kafkaDriver, aws: awsDriver, pubsub: pubsubDriver, redis: redisDriver } satisfies Record<BrokerKind, BrokerDriver>;

type ManifestEntry = (typeof drivers)[BrokerKind]["manifestEntry"];
/** Every kind's manifest entry schema, for a union discriminated on `kind` (engine/resource-manifest.ts). */
export const manifestEntrySchemas = Object.values(drivers).map((driver) => driver.manifestEntry) as [ManifestEntry, ...ManifestEntry[]];

/** Every registered driver. */
export const brokerDrivers = (): BrokerDriver[] => Object.values(drivers);

/**
 * The driver of a kind. Its methods take the broker of its own kind; the registry is the one place
 * that pairs a broker with its driver (by the broker's `kind`), so callers need no cast.
 */
export function driverFor(kind: string): BrokerDriver {
  const driver = (drivers as Record<string, BrokerDriver | undefined>)[kind];
  if (!driver) throw new Error(`No broker driver for kind "${kind}": Brokerlab has drivers for ${Object.keys(drivers).map((k) => `"${k}"`).join(", ")}; register one in server/brokers/registry.ts`);
  return driver;
}

/** The driver of a resolved broker or a scenario broker entry. */
export const driverOf = (broker: { kind: string }): BrokerDriver => driverFor(broker.kind);

/** The stack service that runs a kind's local broker (the health monitor's services: "moto" for aws), from its descriptor. */
const serviceOf = (driver: BrokerDriver): ServiceId => stackServiceOf(driver.kind);

/** The driver of the broker a stack service runs; undefined for a service that is no broker (Jaeger). */
export const driverOfService = (service: string): BrokerDriver | undefined => brokerDrivers().find((driver) => serviceOf(driver) === service);

/** The health probe of every broker kind, keyed by the stack service that runs it. */
export const brokerProbes = (config: Config): Record<Exclude<ServiceId, "jaeger">, () => Promise<ProbeResult>> =>
  Object.fromEntries(brokerDrivers().map((driver) => [serviceOf(driver), () => driver.probe(config)])) as Record<Exclude<ServiceId, "jaeger">, () => Promise<ProbeResult>>;

/** A scenario broker entry with its endpoints: its own, else the configured ones. */
export const resolveBroker = (entry: ScenarioBroker, defaults: BrokerDefaults): ResolvedBroker => driverOf(entry).resolve(entry, defaults);
