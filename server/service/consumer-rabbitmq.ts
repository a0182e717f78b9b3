// A scenario consumer on a RabbitMQ queue. Retries are copies published to the delayed-retry
// queue `<queue>.retry.<delay>` (its TTL dead-letters them back) or straight back to the queue,
// then the original is acked; dead-lettering is a nack without requeue, so the broker's DLX
// adds x-death.
import { headerNames } from "../../lib/run/ipc";
import { rabbitRetryQueueName } from "../../lib/scenario/derived";
import type { Subscription } from "../brokers/messaging";
import { consumeRabbitQueue } from "../brokers/rabbitmq/consumer";
import type { ConsumerStart } from "./client-drivers";
import { rabbitConnection } from "./client-rabbitmq";
import { createMessageHandler } from "./consumer";
import type { FailureRoute } from "./consumer";
import { createForwarder } from "./forward";
import { copyHeaders } from "./headers";

export async function startRabbitConsumer(options: ConsumerStart): Promise<Subscription> {
  const { consumer, clients } = options;
  // A RabbitMQ broker's consumers read `{ queue }` (the scenario schema checked the form against the kind).
  const queue = (consumer.from as { queue: string }).queue;
  const noAck = consumer.ack === "auto";

  const route: FailureRoute = {
    autoAck: noAck,
    requeuesInPlace: false,
    async retry(delivery, id, attempt, delayMs) {
      const sender = await clients.support(consumer.broker);
      if (!(await sender.writable())) return false;
      const outcome = await sender.send({
        id,
        destination: { exchange: "", routingKey: delayMs > 0 ? rabbitRetryQueueName(queue, delayMs) : queue },
        body: delivery.body,
        headers: copyHeaders(delivery.headers, { [headerNames.attempt]: attempt }),
        persistent: true,
        // Unroutable (retry queue missing) comes back, and the original is requeued instead.
        mandatory: true,
      });
      return outcome.ok && !outcome.returned;
    },
    deadLetter: async () => ({ kind: "nack", requeue: false }),
  };

  const connection = rabbitConnection(clients, consumer.broker);
  await connection.ready();
  return consumeRabbitQueue({
    connection,
    queue,
    prefetch: consumer.prefetch,
    noAck,
    concurrency: consumer.concurrency,
    settleSpans: true,
    handler: createMessageHandler({ ...options, route, forward: createForwarder(options) }),
  });
}
