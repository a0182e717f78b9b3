// A scenario consumer on a RabbitMQ queue. Retries are copies published to the delayed-retry
// queue `<queue>.retry.<delay>` (its TTL dead-letters them back) or straight back to the queue,
// then the original is acked; dead-lettering is a nack without requeue, so the broker's DLX
// adds x-death.
import { headerNames } from "../../lib/run/ipc";
import type { ServiceLaunch } from "../../lib/run/ipc";
import { rabbitRetryQueueName } from "../../lib/scenario/derived";
import type { Consumer } from "../../lib/scenario/schema";
import type { Subscription } from "../brokers/messaging";
import { consumeRabbitQueue } from "../brokers/rabbitmq/consumer";
import type { ServiceClients } from "./clients";
import { createMessageHandler } from "./consumer";
import type { FailureRoute, HandlerOptions } from "./consumer";
import { createForwarder } from "./forward";
import { copyHeaders } from "./headers";
import type { ServiceMetrics } from "./metrics";

export async function startRabbitConsumer(options: {
  launch: ServiceLaunch;
  consumer: Consumer & { from: { queue: string } };
  clients: ServiceClients;
  metrics: ServiceMetrics;
  crash: HandlerOptions["crash"];
  extraWorkMs?: HandlerOptions["extraWorkMs"];
}): Promise<Subscription> {
  const { consumer, clients } = options;
  const queue = consumer.from.queue;
  const noAck = consumer.ack === "auto";

  const route: FailureRoute = {
    broker: "rabbitmq",
    autoAck: noAck,
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

  const connection = clients.rabbit(consumer.broker);
  await connection.ready();
  return consumeRabbitQueue({
    connection,
    queue,
    prefetch: consumer.prefetch,
    noAck,
    concurrency: consumer.concurrency,
    handler: createMessageHandler({ ...options, route, forward: createForwarder(options) }),
  });
}
