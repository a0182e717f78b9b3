// The service-side client of a Kafka broker: one kafkajs client per broker shared by its senders,
// consumers and projections (through the fault proxies when the run has them), producers with
// acks, `to` rendered as a topic with a key and partition, and event logs read again for projections.
import type { Target } from "../../lib/scenario/schema";
import { compileString } from "../../lib/scenario/template";
import { createKafkaClient, redirectingSocketFactory } from "../brokers/kafka/client";
import { createKafkaPublisher } from "../brokers/kafka/producer";
import { readEventLog } from "../brokers/kafka/replay-reader";
import type { ReplayReader, ReplayReaderOptions } from "../brokers/kafka/replay-reader";
import { BrokerError } from "../brokers/types";
import type { ClientDriver, SenderContext } from "./client-drivers";
import type { OpenShared, Sender, ServiceClients } from "./clients";
import { startKafkaConsumer } from "./consumer-kafka";
import type { CompiledTarget } from "./templates";

export type KafkaDestination = { topic: string; key?: string; partition?: number };

declare module "./clients" {
  interface Destinations { kafka: KafkaDestination }
}
export type KafkaClient = ReturnType<typeof createKafkaClient>;

const openClient: OpenShared<{ client: KafkaClient; brokers: string[] }> = ({ broker, spec, names, onError }) => {
  if (spec.kind !== "kafka") throw new Error(`broker "${broker}" is not Kafka`);
  const onUnknown = (address: string) => onError(new BrokerError("INTERNAL", `Kafka broker ${address} has no fault proxy; this client reaches it directly`, false));
  const client = createKafkaClient({
    brokers: spec.brokers,
    clientId: names.client,
    ...(spec.redirect ? { socketFactory: redirectingSocketFactory(spec.redirect, onUnknown) } : {}),
    // A classroom learner's services log in as the learner's slot: the broker's ACLs decide what they reach.
    ...(spec.sasl ? { sasl: spec.sasl } : {}),
  });
  return { client: { client, brokers: spec.brokers } };
};

/** The broker's one kafkajs client in this process, and its bootstrap list. */
export const kafkaClient = (clients: ServiceClients, broker: string): { client: KafkaClient; brokers: string[] } => clients.shared(broker, openClient);

async function sender(context: SenderContext): Promise<Sender> {
  const { client, brokers } = kafkaClient(context.clients, context.broker);
  const { acks, idempotent, window } = context.options;
  const publisher = await createKafkaPublisher({ kafka: client, brokers, acks, idempotent, window, onState: context.report, onError: context.onError });
  return {
    writable: () => publisher.writable(),
    send(message) {
      const destination = message.destination;
      if (!("topic" in destination)) throw new Error("a Kafka sender needs a topic");
      // Kafka header values are strings (a plain loop: this runs for every message).
      const headers: Record<string, string> = {};
      for (const name in message.headers) headers[name] = String(message.headers[name]);
      return publisher.publish({ topic: destination.topic, key: destination.key, partition: destination.partition, value: message.body, headers });
    },
    inFlight: () => publisher.inFlight(),
    settle: (timeoutMs) => publisher.settle(timeoutMs),
    close: () => publisher.close(),
  };
}

/** `{ topic, key?, partition? }`: the key is a template rendered per message. */
function compileTarget(to: Target, fields: readonly string[]): CompiledTarget<KafkaDestination> {
  if (!("topic" in to)) throw new Error(`${JSON.stringify(to)} is not a Kafka target`);
  const key = to.key === undefined ? undefined : compileString(to.key, fields);
  return {
    render: (ctx) => ({
      topic: to.topic,
      ...(key ? { key: key(ctx) } : {}),
      ...(to.partition !== undefined ? { partition: to.partition } : {}),
    }),
  };
}

/** What a projection needs of a broker: its log read from the oldest record, and again from a position. */
export interface EventLogs {
  read(clients: ServiceClients, broker: string, options: Omit<ReplayReaderOptions, "kafka" | "brokers">): Promise<ReplayReader>;
}

const eventLog: EventLogs = {
  read(clients, broker, options) {
    const { client, brokers } = kafkaClient(clients, broker);
    return readEventLog({ kafka: client, brokers, ...options });
  },
};

export const kafkaClientDriver: ClientDriver<KafkaDestination> = {
  sender,
  consume: startKafkaConsumer,
  compileTarget,
  targetHeaders: () => ({}),
  // With acks=all a send that failed on a broker restart is sent again until Kafka answers.
  resendsUntilAnswered: (producer) => producer.acks === "all" || producer.acks === -1,
  describe: (destination) => ({ destination: destination.topic, ...(destination.key ? { key: destination.key } : {}) }),
  eventLog,
};
