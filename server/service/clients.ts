// The broker clients of one service process: one RabbitMQ connection and one kafkajs client per
// scenario broker, senders built on them, and the connection state reported to the engine per
// broker (the worst state of its components: crashed > reconnecting > connected).
import type { ConnectionState, ResolvedBroker } from "../../lib/run/ipc";
import { createKafkaClient, redirectingSocketFactory } from "../brokers/kafka/client";
import { createKafkaPublisher } from "../brokers/kafka/producer";
import type { ConnectionStatus, KafkaOutgoing, Publisher, RabbitOutgoing, SendOutcome } from "../brokers/messaging";
import { createRabbitConnection } from "../brokers/rabbitmq/connection";
import type { RabbitConnection } from "../brokers/rabbitmq/connection";
import { createRabbitPublisher } from "../brokers/rabbitmq/publisher";
import type { AwsDestination } from "../brokers/aws/sender";
import { BrokerError } from "../brokers/types";
import { clientDriverOf } from "./client-drivers";
import type { HeaderValue } from "./templates";

export type KafkaClient = ReturnType<typeof createKafkaClient>;
export type Destination = { exchange: string; routingKey: string } | { topic: string; key?: string; partition?: number } | AwsDestination;

export interface Outgoing {
  id: string;
  destination: Destination;
  body: Buffer;
  headers: Record<string, HeaderValue>;
  persistent?: boolean;
  mandatory?: boolean;
}

/** A publisher for any broker. */
export interface Sender {
  writable(): Promise<boolean>;
  send(message: Outgoing): Promise<SendOutcome>;
  inFlight(): number;
  settle(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface SenderOptions { confirm: boolean; window: number; acks: -1 | 0 | 1; idempotent: boolean }

const supportOptions: SenderOptions = { confirm: true, window: 1_000, acks: -1, idempotent: false };
const rank: Record<ConnectionStatus, number> = { connected: 0, reconnecting: 1, crashed: 2 };

export interface ClientHooks {
  state(broker: string, state: ConnectionState, detail?: string): void;
  error(error: BrokerError): void;
}

/**
 * `client`: the Kafka client id; `connection`: the RabbitMQ connection name (what closeConnection selects by);
 * `resources`: the scenario's resources per broker (a sender may judge routing by them).
 */
export function createServiceClients(brokers: Record<string, ResolvedBroker>, names: { client: string; connection: string }, hooks: ClientHooks, resources: Record<string, unknown> = {}) {
  const rabbits = new Map<string, RabbitConnection>();
  const kafkas = new Map<string, KafkaClient>();
  const senders: Sender[] = [];
  const support = new Map<string, Promise<Sender>>();
  type Part = { status: ConnectionStatus; detail?: string };
  const components = new Map<string, Map<string, Part>>();
  const reported = new Map<string, string>();

  /** Records one component's status; tells the engine when the broker's overall state changes. */
  function report(broker: string, component: string, status: ConnectionStatus, detail?: string): void {
    const parts = components.get(broker) ?? new Map<string, Part>();
    components.set(broker, parts);
    parts.set(component, { status, detail });
    const worst = [...parts.values()].reduce((a: Part, b: Part) => (rank[b.status] > rank[a.status] ? b : a));
    const key = `${worst.status}:${worst.detail ?? ""}`;
    if (reported.get(broker) === key) return;
    reported.set(broker, key);
    hooks.state(broker, worst.status, worst.detail);
  }

  function resolved(broker: string): ResolvedBroker {
    const found = brokers[broker];
    if (!found) throw new Error(`broker "${broker}" is not in the launch spec`);
    return found;
  }

  function rabbit(broker: string): RabbitConnection {
    let connection = rabbits.get(broker);
    if (!connection) {
      const spec = resolved(broker);
      if (spec.kind !== "rabbitmq") throw new Error(`broker "${broker}" is not RabbitMQ`);
      connection = createRabbitConnection({ url: spec.url, name: names.connection, onState: (status, detail) => report(broker, "connection", status, detail), onError: hooks.error });
      rabbits.set(broker, connection);
    }
    return connection;
  }

  function kafka(broker: string): { client: KafkaClient; brokers: string[] } {
    const spec = resolved(broker);
    if (spec.kind !== "kafka") throw new Error(`broker "${broker}" is not Kafka`);
    let client = kafkas.get(broker);
    if (!client) {
      const onUnknown = (address: string) => hooks.error(new BrokerError("INTERNAL", `Kafka broker ${address} has no fault proxy; this client reaches it directly`, false));
      client = createKafkaClient({ brokers: spec.brokers, clientId: names.client, ...(spec.redirect ? { socketFactory: redirectingSocketFactory(spec.redirect, onUnknown) } : {}) });
      kafkas.set(broker, client);
    }
    return { client, brokers: spec.brokers };
  }

  async function sender(broker: string, options: SenderOptions, component: string): Promise<Sender> {
    const spec = resolved(broker);
    const kind = spec.kind;
    const driver = clientDriverOf(kind);
    let built: Sender;
    if (driver) {
      built = await driver.sender({ spec, resources: resources[broker], options, report: (status, detail) => report(broker, component, status, detail), onError: hooks.error });
    } else if (kind === "rabbitmq") {
      const connection = rabbit(broker);
      await connection.ready();
      built = fromRabbit(createRabbitPublisher({ connection, confirm: options.confirm, window: options.window, onError: hooks.error }));
    } else {
      const { client, brokers: list } = kafka(broker);
      const publisher = await createKafkaPublisher({
        kafka: client, brokers: list, acks: options.acks, idempotent: options.idempotent, window: options.window,
        onState: (status, detail) => report(broker, component, status, detail), onError: hooks.error,
      });
      built = fromKafka(publisher);
    }
    senders.push(built);
    return built;
  }

  return {
    report,
    resolved,
    onError: hooks.error,
    rabbit,
    kafka,
    sender,
    /** A shared sender per broker for forwards, retries and dead letters (confirms on, acks all). */
    support(broker: string): Promise<Sender> {
      let found = support.get(broker);
      if (!found) {
        found = sender(broker, supportOptions, "support-producer");
        support.set(broker, found);
        found.catch(() => support.delete(broker));
      }
      return found;
    },
    async settleAll(timeoutMs: number): Promise<void> {
      await Promise.all(senders.map((s) => s.settle(timeoutMs)));
    },
    async close(): Promise<void> {
      await Promise.all(senders.map((s) => s.close().catch(() => {})));
      await Promise.all([...rabbits.values()].map((c) => c.close()));
    },
  };
}

export type ServiceClients = ReturnType<typeof createServiceClients>;

function fromRabbit(publisher: Publisher<RabbitOutgoing>): Sender {
  return {
    writable: () => publisher.writable(),
    send(message) {
      const destination = message.destination;
      if (!("exchange" in destination)) throw new Error("a RabbitMQ sender needs an exchange and routing key");
      return publisher.publish({
        exchange: destination.exchange, routingKey: destination.routingKey, body: message.body, headers: message.headers,
        messageId: message.id, persistent: message.persistent ?? true, mandatory: message.mandatory ?? false,
      });
    },
    inFlight: () => publisher.inFlight(),
    settle: (timeoutMs) => publisher.settle(timeoutMs),
    close: () => publisher.close(),
  };
}

function fromKafka(publisher: Publisher<KafkaOutgoing>): Sender {
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
