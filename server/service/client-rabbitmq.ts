// The service-side client of a RabbitMQ broker: one connection per broker shared by its senders,
// consumers and pattern parts (named after the replica, which closeConnection selects by),
// publishers with confirms, `to` rendered as an exchange and routing key, and the queues that
// request/reply and task patterns use (reply-to and correlation ids are AMQP properties).
import type { RabbitTarget } from "../../lib/scenario/patterns";
import type { Target } from "../../lib/scenario/schema";
import { compileString } from "../../lib/scenario/template";
import type { Delivery, DeliveryHandler, Publisher, RabbitOutgoing, Subscription } from "../brokers/messaging";
import { createRabbitConnection } from "../brokers/rabbitmq/connection";
import type { RabbitConnection } from "../brokers/rabbitmq/connection";
import { consumeRabbitQueue } from "../brokers/rabbitmq/consumer";
import { createRabbitPublisher } from "../brokers/rabbitmq/publisher";
import { consumeReplyQueue } from "../brokers/rabbitmq/reply-queue";
import type { ReplyQueue } from "../brokers/rabbitmq/reply-queue";
import type { BrokerError } from "../brokers/types";
import type { ClientDriver, SenderContext } from "./client-drivers";
import type { OpenShared, Sender, ServiceClients } from "./clients";
import { startRabbitConsumer } from "./consumer-rabbitmq";
import type { CompiledTarget } from "./templates";

export type RabbitDestination = { exchange: string; routingKey: string };

declare module "./clients" {
  interface Destinations { rabbitmq: RabbitDestination }
}

const openConnection: OpenShared<RabbitConnection> = ({ broker, spec, names, report, onError }) => {
  if (spec.kind !== "rabbitmq") throw new Error(`broker "${broker}" is not RabbitMQ`);
  const connection = createRabbitConnection({ url: spec.url, caFile: spec.caFile, name: names.connection, onState: (status, detail) => report("connection", status, detail), onError });
  return { client: connection, close: () => connection.close() };
};

/** The broker's one connection in this process. */
export const rabbitConnection = (clients: ServiceClients, broker: string): RabbitConnection => clients.shared(broker, openConnection);

async function sender(context: SenderContext): Promise<Sender> {
  const connection = rabbitConnection(context.clients, context.broker);
  await connection.ready();
  const publisher = createRabbitPublisher({ connection, confirm: context.options.confirm, window: context.options.window, onError: context.onError });
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

/** `{ queue }` goes through the default exchange; `{ exchange, routingKey }` renders its routing key per message. */
function compileTarget(to: Target | RabbitTarget, fields: readonly string[] = []): CompiledTarget<RabbitDestination> {
  if ("queue" in to) return { render: () => ({ exchange: "", routingKey: to.queue }) };
  if (!("exchange" in to)) throw new Error(`${JSON.stringify(to)} is not a RabbitMQ target`);
  const routingKey = compileString(to.routingKey, fields);
  return { render: (ctx) => ({ exchange: to.exchange, routingKey: routingKey(ctx) }) };
}

/** What request/reply and task queues need of a broker (server/service/patterns). */
export interface QueuePatterns {
  /** `messaging.system` of a requester's CLIENT span. */
  system: string;
  /** Where a request goes, as written (its routing key is not a template), and its name for the log. */
  requestTarget(to: RabbitTarget): RabbitDestination & { name: string };
  /** A task's `to`, its routing key rendered per message. */
  compileTaskTarget(to: RabbitTarget): CompiledTarget<RabbitDestination>;
  /** Straight onto `queue` (a worker's retry copy). */
  queueDestination(queue: string): RabbitDestination;
  /** A confirming publisher of requests and replies (reply-to, correlation id, expiration) on the broker's connection. */
  publisher(clients: ServiceClients, broker: string, options: { window: number; onError: (error: BrokerError) => void }): Promise<Publisher<RabbitOutgoing>>;
  /** A requester's reply queue: a declared `queue`, else an exclusive server-named one. */
  replyQueue(clients: ServiceClients, broker: string, options: { queue?: string; handler: (delivery: Delivery) => void; onError: (error: BrokerError) => void }): Promise<ReplyQueue>;
  /** Consumes a queue for a pattern part; the handler's settlement acks or nacks. */
  consume(clients: ServiceClients, broker: string, options: { queue: string; prefetch: number; concurrency: number; handler: DeliveryHandler; onError: (error: unknown) => void }): Promise<Subscription>;
}

async function readyConnection(clients: ServiceClients, broker: string): Promise<RabbitConnection> {
  const connection = rabbitConnection(clients, broker);
  await connection.ready();
  return connection;
}

const queuePatterns: QueuePatterns = {
  system: "rabbitmq",
  requestTarget: (to) => ("queue" in to
    ? { exchange: "", routingKey: to.queue, name: to.queue }
    : { exchange: to.exchange, routingKey: to.routingKey, name: to.exchange || to.routingKey }),
  compileTaskTarget: (to) => compileTarget(to),
  queueDestination: (queue) => ({ exchange: "", routingKey: queue }),
  async publisher(clients, broker, options) {
    return createRabbitPublisher({ connection: await readyConnection(clients, broker), confirm: true, window: options.window, onError: options.onError });
  },
  replyQueue: async (clients, broker, options) => consumeReplyQueue({ connection: rabbitConnection(clients, broker), ...options }),
  async consume(clients, broker, options) {
    return consumeRabbitQueue({ connection: await readyConnection(clients, broker), noAck: false, ...options });
  },
};

export const rabbitClientDriver: ClientDriver<RabbitDestination> = {
  sender,
  consume: startRabbitConsumer,
  compileTarget,
  targetHeaders: () => ({}),
  resendsUntilAnswered: () => false,
  describe: (destination) => ({ destination: destination.exchange || destination.routingKey }),
  queuePatterns,
};
