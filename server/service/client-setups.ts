// What a service process needs of each broker kind before any broker client library is loaded
// (main.ts parses the launch and starts OpenTelemetry first, so the instrumentations patch the
// libraries as they load): the resolved broker the launch spec carries, and the instrumentations
// of the kind's client library. The rest of each kind's client side is its ClientDriver
// (client-drivers.ts), which loads the libraries.
import type { Span } from "@opentelemetry/api";
import type { NodeSDK } from "@opentelemetry/sdk-node";
import type { z } from "zod";
import type { BrokerKind } from "../../lib/brokers";
import { awsClientSetup } from "./client-aws-setup";
import { kafkaClientSetup } from "./client-kafka-setup";
import { rabbitClientSetup } from "./client-rabbitmq-setup";

export type Instrumentations = NonNullable<NonNullable<ConstructorParameters<typeof NodeSDK>[0]>["instrumentations"]>;

/** What telemetry.ts hands each kind's instrumentations. */
export interface InstrumentationHooks {
  /** Consumer spans link to the producer's span instead of being its children (propagation: link). */
  link: boolean;
  /** Sets messaging.message.id and the brokerlab.* attributes from a message's headers. */
  tagMessage(span: Span, headers: Record<string, unknown> | undefined): void;
}

export interface ClientSetup {
  /** The resolved broker of this kind in the launch spec: `{ kind, …where the service reaches it }`. */
  launch: z.ZodObject<{ kind: z.ZodLiteral<BrokerKind> }>;
  /** The OpenTelemetry instrumentations of the kind's client library (none when its client traces itself). */
  instrumentations(hooks: InstrumentationHooks): Instrumentations;
}

const clientSetups: Record<BrokerKind, ClientSetup> = { rabbitmq: rabbitClientSetup, kafka: kafkaClientSetup, aws: awsClientSetup };

/** Every kind's resolved-broker schema, for a union discriminated on `kind`. */
export const launchBrokerSchemas = Object.values(clientSetups).map((setup) => setup.launch) as [ClientSetup["launch"], ...ClientSetup["launch"][]];

/** Every kind's instrumentations, in registry order. */
export const brokerInstrumentations = (hooks: InstrumentationHooks): Instrumentations => Object.values(clientSetups).flatMap((setup) => setup.instrumentations(hooks));
