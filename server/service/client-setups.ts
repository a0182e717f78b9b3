// The service process's one list of broker kinds. Each kind's setup holds what is needed before
// any broker client library loads (main.ts parses the launch and starts OpenTelemetry first, so
// the instrumentations patch the libraries as they load): the instrumentations of the kind's
// client library, and how to load the rest of its client side, its ClientDriver (client-<kind>.ts),
// which loads the library. The resolved broker the launch spec carries is the descriptor's
// (`resolved` in lib/brokers/<kind>.ts).
import type { Span } from "@opentelemetry/api";
import type { NodeSDK } from "@opentelemetry/sdk-node";
import type { BrokerKind } from "../../lib/brokers";
import type { ServiceLaunch } from "../../lib/run/ipc";
import type { ClientDriver } from "./client-drivers";
import { awsClientSetup } from "./client-aws-setup";
import { kafkaClientSetup } from "./client-kafka-setup";
import { pubsubClientSetup } from "./client-pubsub-setup";
import { rabbitClientSetup } from "./client-rabbitmq-setup";
import { redisClientSetup } from "./client-redis-setup";

export type Instrumentations = NonNullable<NonNullable<ConstructorParameters<typeof NodeSDK>[0]>["instrumentations"]>;

/** What telemetry.ts hands each kind's instrumentations. */
export interface InstrumentationHooks {
  /** Consumer spans link to the producer's span instead of being its children (propagation: link). */
  link: boolean;
  /** Sets messaging.message.id and the brokerlab.* attributes from a message's headers. */
  tagMessage(span: Span, headers: Record<string, unknown> | undefined): void;
}

export interface ClientSetup {
  /** The OpenTelemetry instrumentations of the kind's client library (none when its client traces itself). */
  instrumentations(hooks: InstrumentationHooks): Instrumentations;
  /** The kind's client driver, imported (with the broker's client library) only once telemetry has started. */
  loadDriver(): Promise<ClientDriver>;
}

/** Adding a broker kind to service processes adds its setup here. */
export const clientSetups: Record<BrokerKind, ClientSetup> = { rabbitmq: rabbitClientSetup, kafka: kafkaClientSetup, aws: awsClientSetup, pubsub: pubsubClientSetup, redis: redisClientSetup };

/** The kinds of the brokers a launch spec names: a service process sets up and loads only these. */
export const launchKinds = (launch: Pick<ServiceLaunch, "brokers">): BrokerKind[] => [...new Set(Object.values(launch.brokers).map((b) => b.kind as BrokerKind))];

/** The instrumentations of `kinds` (every kind when absent), in registry order. */
export const brokerInstrumentations = (hooks: InstrumentationHooks, kinds?: readonly BrokerKind[]): Instrumentations =>
  Object.entries(clientSetups).filter(([kind]) => !kinds || kinds.includes(kind as BrokerKind)).flatMap(([, setup]) => setup.instrumentations(hooks));
