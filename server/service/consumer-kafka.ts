// A scenario consumer on a Kafka topic in a consumer group. Retries go to `<topic>.<group>.retry`
// with a due time, consumed by the same group and handler once due; exhausted messages go to
// `<topic>.<group>.dlt`; requeue means processing the same record again in place.
import { headerNames } from "../../lib/run/ipc";
import { kafkaDeadLetterTopicName, kafkaRetryTopicName, retryDelay } from "../../lib/scenario/derived";
import { delay } from "../brokers/backoff";
import { consumeKafkaTopics } from "../brokers/kafka/consumer";
import type { Delivery, Subscription } from "../brokers/messaging";
import type { ConsumerStart } from "./client-drivers";
import { kafkaClient } from "./client-kafka";
import { createMessageHandler } from "./consumer";
import type { FailureRoute } from "./consumer";
import { createForwarder } from "./forward";
import { copyHeaders, dueAtHeader, readHeaders } from "./headers";

type KafkaSource = { topic: string; group: string; fromBeginning: boolean };

/** Thrown to leave a record uncommitted when the process stops while it waits. */
class Stopping extends Error {}

export async function startKafkaConsumer(options: ConsumerStart): Promise<Subscription> {
  const { consumer, clients, stopping } = options;
  // A Kafka broker's consumers read `{ topic, group }` (the scenario schema checked the form against the kind).
  const { topic, group, fromBeginning } = consumer.from as KafkaSource;
  const retryTopic = kafkaRetryTopicName(topic, group);
  const deadLetterTopic = kafkaDeadLetterTopicName(topic, group);

  async function copyTo(target: string, delivery: Delivery, id: string, changes: Record<string, string | number>): Promise<boolean> {
    const sender = await clients.support(consumer.broker);
    if (!(await sender.writable())) return false;
    const outcome = await sender.send({ id, destination: { topic: target, key: delivery.key }, body: delivery.body, headers: copyHeaders(delivery.headers, changes) });
    return outcome.ok;
  }

  const route: FailureRoute = {
    autoAck: false,
    // The handler below processes the same record again until it succeeds or the process stops.
    requeuesInPlace: true,
    retry: (delivery, id, attempt, delayMs) => copyTo(retryTopic, delivery, id, { [headerNames.attempt]: attempt, [dueAtHeader]: String(Date.now() + delayMs) }),
    deadLetter: async (delivery, id, reason) =>
      (await copyTo(deadLetterTopic, delivery, id, { "x-brokerlab-dead-letter-reason": reason, "x-brokerlab-dead-letter-from": delivery.source })) ? { kind: "ack" } : undefined,
  };
  const handle = createMessageHandler({ ...options, route, forward: createForwarder(options) });

  // Waits until a retry is due, heartbeating so the group keeps this member.
  async function untilDue(delivery: Delivery): Promise<void> {
    const dueAt = readHeaders(delivery.headers).dueAt;
    while (dueAt !== undefined && Date.now() < dueAt) {
      if (stopping.aborted) throw new Stopping("stopping while a retry waits");
      await delay(Math.min(2_000, dueAt - Date.now()), stopping);
      await delivery.heartbeat?.().catch(() => {});
    }
  }

  return consumeKafkaTopics({
    kafka: kafkaClient(clients, consumer.broker).client,
    brokers: kafkaClient(clients, consumer.broker).brokers,
    groupId: group,
    topics: consumer.onError.retries > 0 ? [topic, retryTopic] : [topic],
    fromBeginning,
    // A dead member's partitions move on after 10 s, or three of its slowest messages.
    sessionTimeoutMs: Math.min(300_000, Math.max(10_000, 3 * (consumer.work.ms + 3 * consumer.work.jitterMs))),
    autoCommit: consumer.ack === "auto",
    concurrency: consumer.concurrency,
    linkSpans: options.launch.propagation === "link" && options.launch.tracing.enabled,
    onState: (status, detail) => clients.report(consumer.broker, `consumer:${consumer.name}`, status, detail),
    async handler(delivery) {
      if (delivery.source === retryTopic) await untilDue(delivery);
      // requeue: the same record again, in place, until it succeeds or the process stops.
      for (let pass = 0; ; pass++) {
        const settlement = await handle(pass === 0 ? delivery : { ...delivery, redelivered: true });
        if (settlement.kind === "ack") return settlement;
        if (stopping.aborted) throw new Stopping("stopping while a record is requeued in place");
        await delay(Math.max(10, retryDelay(consumer.onError, consumer.onError.retries + 1)), stopping);
      }
    },
  });
}
